import { constants } from 'node:os';
import { LvsdError } from '../model/errors.js';

/**
 * Netlink failures as values with stable codes: the kernel's errno by name (ENOENT, EEXIST, ENOBUFS…), its
 * number, and the kernel's extended-ack text when it sent one (NETLINK_EXT_ACK, include/uapi/linux/netlink.h).
 */

// Linux has two aliases; name them as the kernel headers and ipvsadm's messages do.
const PREFERRED = new Set(['EAGAIN', 'EOPNOTSUPP']);
const NAMES = new Map<number, string>();
for (const [name, n] of Object.entries(constants.errno)) {
  if (!NAMES.has(n) || PREFERRED.has(name)) NAMES.set(n, name);
}
const NUMBERS: Readonly<Record<string, number>> = constants.errno;

/** The errno's name on this platform (Node's os.constants.errno), or E<number> for one it does not know. */
export function errnoName(n: number): string {
  return NAMES.get(n) ?? `E${n}`;
}

export function errnoNumber(name: string): number {
  return NUMBERS[name] ?? 0;
}

export class NetlinkError extends LvsdError {
  constructor(
    /** errno name, e.g. 'ENOENT' */
    readonly errno: string,
    message: string,
    /** the kernel's extended-ack message, when it sent one */
    readonly extack?: string,
  ) {
    super(`LVSD_E_NETLINK_${errno}`, message);
    this.name = 'NetlinkError';
  }

  get errnoNumber(): number {
    return errnoNumber(this.errno);
  }

  /** An error from a kernel NLMSG_ERROR / NLMSG_DONE code (negative errno). */
  static fromKernel(code: number, what: string, extack?: string): NetlinkError {
    const name = errnoName(-code);
    const text = extack ? `${what}: ${name} (${extack})` : `${what}: ${name}`;
    return new NetlinkError(name, text, extack);
  }
}

/** A reply the kernel should never send: truncated, overlong, or not what the request asked for. */
export class NetlinkFormatError extends LvsdError {
  constructor(message: string) {
    super('LVSD_E_NETLINK_FORMAT', `malformed netlink reply: ${message}`);
    this.name = 'NetlinkFormatError';
  }
}

/** A value that cannot be put on the wire as its attribute declares (out of range, wrong kind). */
export class NetlinkEncodeError extends LvsdError {
  constructor(message: string) {
    super('LVSD_E_NETLINK_ENCODE', `cannot encode netlink request: ${message}`);
    this.name = 'NetlinkEncodeError';
  }
}
