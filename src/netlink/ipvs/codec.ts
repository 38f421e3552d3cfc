import { ByteWriter } from '../bytes.js';
import { NetlinkFormatError } from '../errors.js';
import type { NlRequest } from '../engine.js';
import type { NlMessage } from '../framing.js';
import { decodeGenl, writeGenl } from '../genl.js';
import type { AttrTable, Attrs } from '../schema.js';
import { IPVS_GENL_VERSION, commands, type IpvsCommand, type cmdAttrs, type daemon, type dest, type infoAttrs, type service, type stats, type stats64 } from './spec.js';

/**
 * IPVS messages, encoded and decoded from the tables in spec.ts: a genl header with the command and version 1,
 * then the command's attributes. The decoded objects are the tables' shapes and keep unknown attributes.
 */
export type CmdAttrs = Attrs<typeof cmdAttrs>;
export type InfoAttrs = Attrs<typeof infoAttrs>;
export type ServiceAttrs = Attrs<typeof service>;
export type DestAttrs = Attrs<typeof dest>;
export type DaemonAttrs = Attrs<typeof daemon>;
export type StatsAttrs = Attrs<typeof stats> | Attrs<typeof stats64>;

type TableOf<C extends IpvsCommand> = (typeof commands)[C][2];

/** Writes the genl payload (header + attributes) of an IPVS command. */
export function writeIpvs<C extends IpvsCommand>(w: ByteWriter, cmd: C, attrs: Attrs<TableOf<C>>): void {
  const [id, , table] = commands[cmd];
  writeGenl(w, id, IPVS_GENL_VERSION, table, attrs);
}

/** The genl payload of an IPVS command as bytes. */
export function encodeIpvs<C extends IpvsCommand>(cmd: C, attrs: Attrs<TableOf<C>>): Buffer {
  const w = new ByteWriter();
  writeIpvs(w, cmd, attrs);
  return w.finish();
}

/**
 * Decodes a reply that must carry command `expect` (e.g. NEW_SERVICE for each part of a service dump), by the
 * command's table or by `table`, one that reads less of it (spec.ts cmdServiceWithoutStats).
 */
export function decodeIpvs<C extends IpvsCommand, S extends AttrTable = TableOf<C>>(m: NlMessage, expect: C, table?: S): Attrs<S> {
  const [id, , own] = commands[expect];
  const g = decodeGenl(m, table ?? own, `IPVS ${expect}`);
  if (g.cmd !== id) throw new NetlinkFormatError(`expected IPVS ${expect} (cmd ${id}), got cmd ${g.cmd}`);
  return g.attrs as Attrs<S>;
}

/**
 * The engine request for a command: dump and data flags follow the command's kind in spec.ts. Attributes and
 * description are built when the request is written (and the description only if it fails), so a batch of
 * 100,000 changes holds no encoded copies while it waits for its turn.
 */
export function ipvsRequest<C extends IpvsCommand>(family: number, cmd: C, attrs: () => Attrs<TableOf<C>>, what: () => string, dump = false): NlRequest {
  const kind = commands[cmd][1];
  return { type: family, payload: (w) => writeIpvs(w, cmd, attrs()), dump: dump || kind === 'dump', data: kind === 'get', what };
}
