import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { LvsdError } from '../model/errors.js';

/**
 * The lvsd N-API addon (native/), typed. Every call is synchronous and either returns or throws a JS error;
 * receive callbacks get errors as values in their batch. Nothing here can abort the process.
 */

/** A system error from the addon: code is the errno name, errno the positive C errno. */
export interface NativeSystemError extends Error {
  readonly code: string;
  readonly errno: number;
  readonly syscall: string;
}

/** Opaque: a socket handle returned by netlinkOpen. */
export interface NetlinkHandle {
  readonly __netlinkHandle: unique symbol;
}

/** One receive batch, in arrival order: datagrams (copied Buffers) and socket errors (ENOBUFS on overrun). */
export type NetlinkRecvItem = Buffer | NativeSystemError;

/** Opaque: a VRRP socket handle returned by vrrpOpen. */
export interface VrrpHandle {
  readonly __vrrpHandle: unique symbol;
}

/** One received VRRP packet: the VRRP message alone (copied), and what the IP layer said about it. */
export interface NativeVrrpPacket {
  readonly bytes: Buffer;
  readonly src: string;
  readonly dst: string;
  /** IPv4 TTL or IPv6 hop limit as received (-1 if the kernel did not say). */
  readonly ttl: number;
  readonly ifindex: number;
}

export type VrrpRecvItem = NativeVrrpPacket | NativeSystemError;

/** Opaque: an AF_PACKET frame sender returned by frameTxOpen. */
export interface FrameTxHandle {
  readonly __frameTxHandle: unique symbol;
}

export interface LvsdNative {
  netlinkOpen(protocol: number, groups: number, rcvbufBytes: number, netns: string | null,
    onRecv: (batch: NetlinkRecvItem[]) => void): NetlinkHandle;
  netlinkSend(h: NetlinkHandle, data: Uint8Array): number;
  netlinkJoin(h: NetlinkHandle, group: number): void;
  netlinkRef(h: NetlinkHandle, on: boolean): void;
  netlinkInfo(h: NetlinkHandle): { portId: number; rcvbufBytes: number };
  netlinkClose(h: NetlinkHandle): void;
  vrrpOpen(family: 4 | 6, ifname: string, group: string | null, source: string | null, rcvbufBytes: number,
    netns: string | null, onRecv: (batch: VrrpRecvItem[]) => void): VrrpHandle;
  vrrpSend(h: VrrpHandle, data: Uint8Array, dest: string | null): number;
  vrrpInfo(h: VrrpHandle): { ifindex: number; rcvbufBytes: number };
  vrrpRef(h: VrrpHandle, on: boolean): void;
  vrrpClose(h: VrrpHandle): void;
  frameTxOpen(ifname: string, netns: string | null): FrameTxHandle;
  frameTxInfo(h: FrameTxHandle): { ifindex: number; mac: Buffer };
  frameTxSend(h: FrameTxHandle, frame: Uint8Array): number;
  frameTxClose(h: FrameTxHandle): void;
  /** One datagram to an AF_UNIX SOCK_DGRAM socket; '@name' is abstract. Returns the bytes sent. */
  unixDgramSend(path: string, data: Uint8Array): number;
}

const FUNCTIONS = [
  'netlinkOpen', 'netlinkSend', 'netlinkJoin', 'netlinkRef', 'netlinkInfo', 'netlinkClose',
  'vrrpOpen', 'vrrpSend', 'vrrpInfo', 'vrrpRef', 'vrrpClose',
  'frameTxOpen', 'frameTxInfo', 'frameTxSend', 'frameTxClose',
  'unixDgramSend',
] as const;
const FILE = 'lvsd_native.node';

/** Where the built addon lives: LVSD_NATIVE overrides; else native/build/Release from src/ or dist/src/. */
export function nativePath(): string | null {
  const override = process.env.LVSD_NATIVE;
  if (override) return existsSync(override) ? override : null;
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const p = path.resolve(here, up, 'native', 'build', 'Release', FILE);
    if (existsSync(p)) return p;
  }
  return null;
}

function isNative(m: unknown): m is LvsdNative {
  if (typeof m !== 'object' || m === null) return false;
  const rec = m as Record<string, unknown>;
  return FUNCTIONS.every((f) => typeof rec[f] === 'function');
}

let loaded: LvsdNative | null = null;

/** Loads the addon once; a clear LvsdError when it has not been built. */
export function loadNative(): LvsdNative {
  if (loaded) return loaded;
  const p = nativePath();
  if (!p) {
    throw new LvsdError('LVSD_E_NATIVE_MISSING',
      `the lvsd native addon (${FILE}) is not built: run \`npx node-gyp rebuild --nodedir=/usr\` in native/ ` +
      '(scripts/ensure.mjs does this), or set LVSD_NATIVE to its path');
  }
  const m: unknown = createRequire(import.meta.url)(p);
  if (!isNative(m)) {
    throw new LvsdError('LVSD_E_NATIVE_MISSING', `${p} is not the lvsd addon this build expects (rebuild native/)`);
  }
  loaded = m;
  return m;
}

/** Whether the addon can be loaded, or the reason it cannot (for tests that skip). */
export function nativeUnavailable(): string | null {
  try {
    loadNative();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export function isNativeSystemError(v: unknown): v is NativeSystemError {
  return v instanceof Error && typeof (v as { errno?: unknown }).errno === 'number' &&
    typeof (v as { code?: unknown }).code === 'string';
}

/** A system call of the addon that failed, as an lvsd error: code `${area}_${errno name}`, the errno name kept. */
export class NativeCallError extends LvsdError {
  constructor(readonly area: string, readonly errno: string, message: string) {
    super(`${area}_${errno}`, message);
    this.name = 'NativeCallError';
  }
}

/**
 * What the addon threw, said in lvsd's terms: a system error keeps its errno name (ENODEV, EADDRNOTAVAIL…) in
 * the code; an argument error (LVSD_E_NATIVE_ARG) keeps its text. `what` says what was being done.
 */
export function nativeFailure(e: unknown, area: string, what: string): LvsdError {
  if (isNativeSystemError(e)) return new NativeCallError(area, e.code, `${what}: ${e.message}`);
  const c = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  const code = typeof c === 'string' ? c : 'LVSD_E_NATIVE';
  return new LvsdError(code, `${what}: ${e instanceof Error ? e.message : String(e)}`);
}
