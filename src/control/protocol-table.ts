/**
 * Decoders for the model types the control protocol carries: TableOp (requests) and TableSnapshot /
 * ConnEntry (responses). Ranges are the kernel's, so a value that passes can be handed to a data plane.
 */
import type { TableOp } from '../model/ops.js';
import type { DestSpec, SchedFlags, ServiceId, ServiceSpec } from '../model/service.js';
import type { Counters, Rates } from '../model/stats.js';
import type { ConnEntry, DestEntry, ServiceEntry, SyncDaemon, TableSnapshot, Timeouts } from '../model/table.js';
import {
  arrayOf, bool, counter, field, int, ipAddr, obj, oneOf, oneOfNumber, optField, ProtocolError, str, type Decoder,
} from './protocol-guards.js';

const U32 = 0xffffffff;
const port = int(0, 65535);

export const serviceId: Decoder<ServiceId> = (v, path) => {
  const o = obj(v, path);
  const kind = field(o, 'kind', oneOf(['addr', 'fwmark']), path);
  if (kind === 'fwmark') {
    return { kind, fwmark: field(o, 'fwmark', int(1, U32), path), af: field(o, 'af', oneOfNumber([4, 6] as const), path) };
  }
  return {
    kind, protocol: field(o, 'protocol', oneOf(['tcp', 'udp', 'sctp']), path),
    addr: field(o, 'addr', ipAddr, path), port: field(o, 'port', port, path),
  };
};

const schedFlags: Decoder<SchedFlags> = (v, path) => {
  const o = obj(v, path);
  return { fallback: field(o, 'fallback', bool, path), port: field(o, 'port', bool, path), flag3: field(o, 'flag3', bool, path) };
};

export const serviceSpec: Decoder<ServiceSpec> = (v, path) => {
  const o = obj(v, path);
  const id = field(o, 'id', serviceId, path);
  const v6 = id.kind === 'addr' ? id.addr.af === 6 : id.af === 6;
  return {
    id,
    scheduler: field(o, 'scheduler', str(15, 1), path),
    flags: field(o, 'flags', schedFlags, path),
    persistence: field(o, 'persistence', int(0, U32), path),
    netmask: field(o, 'netmask', v6 ? int(0, 128) : int(0, U32), path),
    ops: field(o, 'ops', bool, path),
    pe: field(o, 'pe', str(16), path),
  };
};

export const destSpec: Decoder<DestSpec> = (v, path) => {
  const o = obj(v, path);
  return {
    addr: field(o, 'addr', ipAddr, path),
    port: field(o, 'port', port, path),
    weight: field(o, 'weight', int(0, 0x7fffffff), path),
    fwd: field(o, 'fwd', oneOf(['masq', 'route', 'tunnel', 'local']), path),
    tunType: field(o, 'tunType', oneOf(['ipip', 'gue', 'gre']), path),
    tunPort: field(o, 'tunPort', port, path),
    tunFlags: field(o, 'tunFlags', int(0, 2), path),
    uThreshold: field(o, 'uThreshold', int(0, U32), path),
    lThreshold: field(o, 'lThreshold', int(0, U32), path),
  };
};

const timeouts: Decoder<Timeouts> = (v, path) => {
  const o = obj(v, path);
  const t = int(0, U32);
  return { tcp: field(o, 'tcp', t, path), tcpFin: field(o, 'tcpFin', t, path), udp: field(o, 'udp', t, path) };
};

const syncDaemon: Decoder<SyncDaemon> = (v, path) => {
  const o = obj(v, path);
  const maxLen = optField(o, 'maxLen', int(0, 65535), path);
  const group = optField(o, 'group', str(64, 1), path);
  const mport = optField(o, 'port', port, path);
  const ttl = optField(o, 'ttl', int(0, 255), path);
  return {
    state: field(o, 'state', oneOf(['master', 'backup']), path),
    mcastIfn: field(o, 'mcastIfn', str(15), path),
    syncId: field(o, 'syncId', int(0, 255), path),
    ...(maxLen !== undefined ? { maxLen } : {}), ...(group !== undefined ? { group } : {}),
    ...(mport !== undefined ? { port: mport } : {}), ...(ttl !== undefined ? { ttl } : {}),
  };
};

export const tableOp: Decoder<TableOp> = (v, path) => {
  const o = obj(v, path);
  const op = field(o, 'op', oneOf(['add-service', 'edit-service', 'del-service', 'add-dest', 'edit-dest', 'del-dest',
    'flush', 'zero', 'set-timeouts', 'start-daemon', 'stop-daemon']), path);
  switch (op) {
    case 'add-service': case 'edit-service': return { op, spec: field(o, 'spec', serviceSpec, path) };
    case 'del-service': return { op, id: field(o, 'id', serviceId, path) };
    case 'add-dest': case 'edit-dest':
      return { op, service: field(o, 'service', serviceId, path), dest: field(o, 'dest', destSpec, path) };
    case 'del-dest':
      return { op, service: field(o, 'service', serviceId, path), addr: field(o, 'addr', ipAddr, path), port: field(o, 'port', port, path) };
    case 'flush': return { op };
    case 'zero': {
      const service = optField(o, 'service', serviceId, path);
      return service ? { op, service } : { op };
    }
    case 'set-timeouts': return { op, timeouts: field(o, 'timeouts', timeouts, path) };
    case 'start-daemon': return { op, daemon: field(o, 'daemon', syncDaemon, path) };
    case 'stop-daemon': return { op, state: field(o, 'state', oneOf(['master', 'backup']), path) };
  }
};

/** An object of named non-negative numbers (counters, rates). */
function numbers<K extends string>(keys: readonly K[]): Decoder<Record<K, number>> {
  return (v, path) => {
    const o = obj(v, path);
    const out = {} as Record<K, number>;
    for (const k of keys) out[k] = field(o, k, counter, path);
    return out;
  };
}

const counters: Decoder<Counters> = numbers(['conns', 'inPkts', 'outPkts', 'inBytes', 'outBytes']);
const rates: Decoder<Rates> = numbers(['cps', 'inPps', 'outPps', 'inBps', 'outBps']);

const destEntry: Decoder<DestEntry> = (v, path) => {
  const o = obj(v, path);
  return {
    spec: field(o, 'spec', destSpec, path),
    activeConns: field(o, 'activeConns', int(0, U32), path),
    inactConns: field(o, 'inactConns', int(0, U32), path),
    persistConns: field(o, 'persistConns', int(0, U32), path),
    stats: field(o, 'stats', counters, path),
    rates: field(o, 'rates', rates, path),
  };
};

const serviceEntry: Decoder<ServiceEntry> = (v, path) => {
  const o = obj(v, path);
  return {
    spec: field(o, 'spec', serviceSpec, path), dests: field(o, 'dests', arrayOf(destEntry), path),
    stats: field(o, 'stats', counters, path), rates: field(o, 'rates', rates, path),
  };
};

export const tableSnapshot: Decoder<TableSnapshot> = (v, path) => {
  const o = obj(v, path);
  return {
    version: field(o, 'version', str(32, 1), path),
    size: field(o, 'size', int(0, U32), path),
    services: field(o, 'services', arrayOf(serviceEntry), path),
    timeouts: field(o, 'timeouts', timeouts, path),
    daemons: field(o, 'daemons', arrayOf(syncDaemon, 2), path),
  };
};

export const connEntry: Decoder<ConnEntry> = (v, path) => {
  const o = obj(v, path);
  const s = str(128);
  const peName = optField(o, 'peName', s, path);
  const peData = optField(o, 'peData', s, path);
  const entry = {
    proto: field(o, 'proto', str(16, 1), path), expires: field(o, 'expires', int(0, U32), path),
    state: field(o, 'state', str(16), path), client: field(o, 'client', s, path),
    virtual: field(o, 'virtual', s, path), dest: field(o, 'dest', s, path),
  };
  if ((peName === undefined) !== (peData === undefined)) throw new ProtocolError(`${path}: peName and peData come together`);
  return peName !== undefined && peData !== undefined ? { ...entry, peName, peData } : entry;
};
