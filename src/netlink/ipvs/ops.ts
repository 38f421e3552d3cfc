import type { TableOp } from '../../model/ops.js';
import { destKey, serviceKey } from '../../model/service.js';
import type { NlRequest } from '../engine.js';
import { ipvsRequest } from './codec.js';
import { daemonAttrs, destAttrs, destIdAttrs, serviceAttrs, serviceIdAttrs } from './map.js';
import { DAEMON_STATE } from './spec.js';

/** The IPVS request that performs one table operation (what ipvsadm's libipvs sends for each). */
export function opRequest(family: number, op: TableOp): NlRequest {
  switch (op.op) {
    case 'add-service':
      return ipvsRequest(family, 'NEW_SERVICE', () => ({ service: serviceAttrs(op.spec) }), () => `add service ${serviceKey(op.spec.id)}`);
    case 'edit-service':
      return ipvsRequest(family, 'SET_SERVICE', () => ({ service: serviceAttrs(op.spec) }), () => `edit service ${serviceKey(op.spec.id)}`);
    case 'del-service':
      return ipvsRequest(family, 'DEL_SERVICE', () => ({ service: serviceIdAttrs(op.id) }), () => `delete service ${serviceKey(op.id)}`);
    case 'add-dest':
      return ipvsRequest(family, 'NEW_DEST', () => ({ service: serviceIdAttrs(op.service), dest: destAttrs(op.dest) }),
        () => `add dest ${destKey(op.dest.addr, op.dest.port)} to ${serviceKey(op.service)}`);
    case 'edit-dest':
      return ipvsRequest(family, 'SET_DEST', () => ({ service: serviceIdAttrs(op.service), dest: destAttrs(op.dest) }),
        () => `edit dest ${destKey(op.dest.addr, op.dest.port)} of ${serviceKey(op.service)}`);
    case 'del-dest':
      return ipvsRequest(family, 'DEL_DEST', () => ({ service: serviceIdAttrs(op.service), dest: destIdAttrs(op.addr, op.port) }),
        () => `delete dest ${destKey(op.addr, op.port)} of ${serviceKey(op.service)}`);
    case 'flush':
      return ipvsRequest(family, 'FLUSH', () => ({}), () => 'flush the IPVS table');
    case 'zero': {
      const id = op.service;
      return id
        ? ipvsRequest(family, 'ZERO', () => ({ service: serviceIdAttrs(id) }), () => `zero counters of ${serviceKey(id)}`)
        : ipvsRequest(family, 'ZERO', () => ({}), () => 'zero all IPVS counters');
    }
    case 'set-timeouts': {
      const t = op.timeouts;
      return ipvsRequest(family, 'SET_CONFIG', () => ({ timeoutTcp: t.tcp, timeoutTcpFin: t.tcpFin, timeoutUdp: t.udp }), () => 'set IPVS timeouts');
    }
    case 'start-daemon':
      return ipvsRequest(family, 'NEW_DAEMON', () => ({ daemon: daemonAttrs(op.daemon) }), () => `start ${op.daemon.state} sync daemon`);
    case 'stop-daemon':
      return ipvsRequest(family, 'DEL_DAEMON', () => ({ daemon: { state: DAEMON_STATE[op.state] } }), () => `stop ${op.state} sync daemon`);
  }
}
