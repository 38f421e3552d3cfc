import { ByteWriter } from './bytes.js';
import { NetlinkError, NetlinkFormatError } from './errors.js';
import type { NetlinkEngine } from './engine.js';
import type { NlMessage } from './framing.js';
import { decodeAttrs, encodeAttrs, type AttrTable, type Attrs } from './schema.js';

/**
 * Generic netlink (include/uapi/linux/genetlink.h): after the nlmsghdr, struct genlmsghdr {u8 cmd; u8 version;
 * u16 reserved}, then the family's attributes. Families get their message type (id) at registration; the
 * controller family "nlctrl" (fixed id GENL_ID_CTRL) maps names to ids (net/netlink/genetlink.c ctrl_getfamily).
 */
export const GENL_HDRLEN = 4;
export const GENL_ID_CTRL = 0x10;
export const CTRL_CMD_NEWFAMILY = 1;
export const CTRL_CMD_GETFAMILY = 3;

const mcastGroup = {
  name: [1, 'string', 'CTRL_ATTR_MCAST_GRP_NAME'],
  id: [2, 'u32', 'CTRL_ATTR_MCAST_GRP_ID'],
} as const;

const op = {
  id: [1, 'u32', 'CTRL_ATTR_OP_ID'],
  flags: [2, 'u32', 'CTRL_ATTR_OP_FLAGS'],
} as const;

/** nlctrl attributes (enum CTRL_ATTR_*); policy attributes are left to $unknown. */
export const ctrlAttrs = {
  familyId: [1, 'u16', 'CTRL_ATTR_FAMILY_ID'],
  familyName: [2, 'string', 'CTRL_ATTR_FAMILY_NAME'],
  version: [3, 'u32', 'CTRL_ATTR_VERSION'],
  hdrsize: [4, 'u32', 'CTRL_ATTR_HDRSIZE'],
  maxattr: [5, 'u32', 'CTRL_ATTR_MAXATTR'],
  ops: [6, 'array', 'CTRL_ATTR_OPS', op],
  mcastGroups: [7, 'array', 'CTRL_ATTR_MCAST_GROUPS', mcastGroup],
} as const satisfies AttrTable;

export interface GenlFamily {
  readonly id: number;
  readonly name: string;
  readonly version: number;
  readonly hdrsize: number;
  readonly maxattr: number;
  readonly ops: readonly { readonly id: number; readonly flags: number }[];
  readonly mcastGroups: ReadonlyMap<string, number>;
}

export interface GenlMessage<S extends AttrTable> {
  readonly cmd: number;
  readonly version: number;
  readonly attrs: Attrs<S>;
}

/** Writes the payload of a genl message: header then attributes. */
export function writeGenl<S extends AttrTable>(w: ByteWriter, cmd: number, version: number, table: S, attrs: Attrs<S>): void {
  w.u8(cmd);
  w.u8(version);
  w.u16(0);
  encodeAttrs(w, table, attrs);
}

/** The payload of a genl message as bytes. */
export function encodeGenl<S extends AttrTable>(cmd: number, version: number, table: S, attrs: Attrs<S>): Buffer {
  const w = new ByteWriter();
  writeGenl(w, cmd, version, table, attrs);
  return w.finish();
}

/** The genl header of a reply; `what` names it in errors. */
export function genlHeader(m: NlMessage, what: string): { cmd: number; version: number; body: Buffer } {
  if (m.payload.length < GENL_HDRLEN) {
    throw new NetlinkFormatError(`${what}: ${m.payload.length}-byte payload has no genl header`);
  }
  return { cmd: m.payload[0]!, version: m.payload[1]!, body: m.payload.subarray(GENL_HDRLEN) };
}

export function decodeGenl<S extends AttrTable>(m: NlMessage, table: S, what: string): GenlMessage<S> {
  const h = genlHeader(m, what);
  return { cmd: h.cmd, version: h.version, attrs: decodeAttrs(table, h.body, what) };
}

function toFamily(a: Attrs<typeof ctrlAttrs>, asked: string): GenlFamily {
  if (a.familyId === undefined) throw new NetlinkFormatError(`nlctrl reply for ${asked} has no CTRL_ATTR_FAMILY_ID`);
  const groups = new Map<string, number>();
  for (const g of a.mcastGroups ?? []) if (g.name !== undefined && g.id !== undefined) groups.set(g.name, g.id);
  return {
    id: a.familyId,
    name: a.familyName ?? asked,
    version: a.version ?? 0,
    hdrsize: a.hdrsize ?? 0,
    maxattr: a.maxattr ?? 0,
    ops: (a.ops ?? []).map((o) => ({ id: o.id ?? 0, flags: o.flags ?? 0 })),
    mcastGroups: groups,
  };
}

/**
 * Resolves a family by name (as MOBY getIPVSFamily and libnl genl_ctrl_resolve do). A family the kernel does
 * not have fails with NetlinkError ENOENT and a sentence saying which; the hint says what to do about it.
 */
export async function resolveFamily(engine: NetlinkEngine, name: string, hint = ''): Promise<GenlFamily> {
  const what = `resolving generic netlink family ${name}`;
  const payload = encodeGenl(CTRL_CMD_GETFAMILY, 1, ctrlAttrs, { familyName: name });
  let replies: NlMessage[];
  try {
    replies = await engine.request({ type: GENL_ID_CTRL, payload, data: true, what });
  } catch (e) {
    if (e instanceof NetlinkError && e.errno === 'ENOENT') {
      throw new NetlinkError('ENOENT', `the kernel has no generic netlink family ${name} (ENOENT)${hint ? `: ${hint}` : ''}`, e.extack);
    }
    throw e;
  }
  const reply = replies.find((m) => m.type === GENL_ID_CTRL);
  if (!reply) throw new NetlinkFormatError(`${what}: the kernel acked without a family description`);
  return toFamily(decodeGenl(reply, ctrlAttrs, what).attrs, name);
}

/** Every family the kernel has (a CTRL_CMD_GETFAMILY dump). */
export async function listFamilies(engine: NetlinkEngine): Promise<GenlFamily[]> {
  const what = 'listing generic netlink families';
  const payload = encodeGenl(CTRL_CMD_GETFAMILY, 1, ctrlAttrs, {});
  const parts = await engine.request({ type: GENL_ID_CTRL, payload, dump: true, what });
  return parts.map((m) => toFamily(decodeGenl(m, ctrlAttrs, what).attrs, '?'));
}
