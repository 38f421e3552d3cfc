/**
 * The `status` and `plan` answers on the wire. The status answer is the /status.json document
 * (metrics/status-doc.ts, docs/STATUS.md); lvsadm decodes the part it prints, field by field, so a daemon
 * of another build or a hostile peer gets one sentence naming the wrong field instead of a crash.
 */
import type { TableOp } from '../model/ops.js';
import { arrayOf, bool, counter, expected, field, int, obj, oneOf, str, type Decoder } from './protocol-guards.js';
import { tableOp } from './protocol-table.js';

export interface StatusRealServerView {
  readonly address: string;
  readonly port: number;
  readonly inTable: boolean;
  readonly weight: number | null;
  readonly forward: string | null;
  readonly activeConns: number;
  readonly inactConns: number;
  readonly alive: boolean | null;
}

export interface StatusServiceView {
  readonly proto: string;
  readonly address: string;
  readonly port: number;
  readonly fwmark: number;
  readonly scheduler: string;
  readonly quorumUp: boolean | null;
  readonly realServers: readonly StatusRealServerView[];
}

export interface StatusVrrpView {
  readonly name: string;
  readonly interface: string;
  readonly vrid: number;
  readonly state: string;
  readonly priority: number;
  readonly vips: readonly string[];
}

export interface StatusView {
  readonly schema: string;
  readonly version: string;
  readonly plane: string;
  readonly startedAt: string;
  readonly vrrp: readonly StatusVrrpView[] | null;
  readonly services: readonly StatusServiceView[];
  readonly transitions: ReadonlyArray<{ readonly at: string; readonly kind: string; readonly subject: string; readonly from: string; readonly to: string }>;
}

/** What `plan` answers: the ops a reload with the file would apply, and the file's diagnostics. */
export interface PlanView {
  /** False when the file has errors: a reload with it would change nothing. */
  readonly usable: boolean;
  readonly ops: readonly TableOp[];
  /** One line per op, as the daemon's log names it. */
  readonly changes: readonly string[];
  /** FILE:LINE: severity: message, one per diagnostic. */
  readonly diagnostics: readonly string[];
}

function nullable<T>(d: Decoder<T>): Decoder<T | null> {
  return (v, path) => (v === null ? null : d(v, path));
}

const text = str(4096);
const port = int(0, 65535);

const realServer: Decoder<StatusRealServerView> = (v, path) => {
  const o = obj(v, path);
  const health = field(o, 'health', nullable(obj), path);
  return {
    address: field(o, 'address', text, path), port: field(o, 'port', port, path), inTable: field(o, 'inTable', bool, path),
    weight: field(o, 'weight', nullable(counter), path), forward: field(o, 'forward', nullable(text), path),
    activeConns: field(o, 'activeConns', counter, path), inactConns: field(o, 'inactConns', counter, path),
    alive: health === null ? null : field(health, 'alive', bool, `${path}.health`),
  };
};

const service: Decoder<StatusServiceView> = (v, path) => {
  const o = obj(v, path);
  return {
    proto: field(o, 'proto', oneOf(['TCP', 'UDP', 'SCTP', 'FWM']), path), address: field(o, 'address', text, path),
    port: field(o, 'port', port, path), fwmark: field(o, 'fwmark', int(0, 0xffffffff), path), scheduler: field(o, 'scheduler', text, path),
    quorumUp: field(o, 'quorumUp', nullable(bool), path), realServers: field(o, 'realServers', arrayOf(realServer), path),
  };
};

const vrrp: Decoder<StatusVrrpView> = (v, path) => {
  const o = obj(v, path);
  return {
    name: field(o, 'name', text, path), interface: field(o, 'interface', text, path), vrid: field(o, 'vrid', int(0, 255), path),
    state: field(o, 'state', text, path), priority: field(o, 'priority', int(0, 255), path), vips: field(o, 'vips', arrayOf(text), path),
  };
};

const transition: Decoder<StatusView['transitions'][number]> = (v, path) => {
  const o = obj(v, path);
  return { at: field(o, 'at', text, path), kind: field(o, 'kind', text, path), subject: field(o, 'subject', text, path), from: field(o, 'from', text, path), to: field(o, 'to', text, path) };
};

export const statusView: Decoder<StatusView> = (v, path) => {
  const o = obj(v, path);
  const schema = field(o, 'schema', text, path);
  if (!schema.startsWith('lvsd-status/1')) throw expected(`${path}.schema`, 'lvsd-status/1', schema);
  return {
    schema, version: field(o, 'version', text, path), plane: field(o, 'plane', text, path), startedAt: field(o, 'startedAt', text, path),
    vrrp: field(o, 'vrrp', nullable(arrayOf(vrrp)), path), services: field(o, 'services', arrayOf(service), path),
    transitions: field(o, 'transitions', arrayOf(transition), path),
  };
};

export const planView: Decoder<PlanView> = (v, path) => {
  const o = obj(v, path);
  return {
    usable: field(o, 'usable', bool, path), ops: field(o, 'ops', arrayOf(tableOp), path),
    changes: field(o, 'changes', arrayOf(text), path), diagnostics: field(o, 'diagnostics', arrayOf(text), path),
  };
};
