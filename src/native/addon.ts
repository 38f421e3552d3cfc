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

export interface LvsdNative {
  netlinkOpen(protocol: number, groups: number, rcvbufBytes: number, netns: string | null,
    onRecv: (batch: NetlinkRecvItem[]) => void): NetlinkHandle;
  netlinkSend(h: NetlinkHandle, data: Uint8Array): number;
  netlinkJoin(h: NetlinkHandle, group: number): void;
  netlinkRef(h: NetlinkHandle, on: boolean): void;
  netlinkInfo(h: NetlinkHandle): { portId: number; rcvbufBytes: number };
  netlinkClose(h: NetlinkHandle): void;
}

const FUNCTIONS = ['netlinkOpen', 'netlinkSend', 'netlinkJoin', 'netlinkRef', 'netlinkInfo', 'netlinkClose'] as const;
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
