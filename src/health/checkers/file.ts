/**
 * FILE_CHECK: a real server follows the number in a track_file (keepalived trackers/track_file.c
 * process_track_file, update_track_file_status, process_update_checker_track_file_status).
 */
import type { FileCheck, KeepalivedConfig } from '../../model/config.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** What one FILE_CHECK says about its real server for the file's current value. */
export interface FileVerdict {
  readonly up: boolean;
  /** Added to the real server's weight while up (value × weight, negated with reverse). */
  readonly weight: number;
}

/**
 * update_track_file_status: with weight 0 a non-zero value means failure (a zero value with reverse); otherwise
 * the value × weight (× −1 with reverse), clamped to an int (weight_range), is added to the weight, and a result
 * at or below INT_MIN (IPVS_WEIGHT_FAULT) means failure.
 */
export function fileVerdict(c: FileCheck, value: number): FileVerdict {
  if (c.weight === 0) return { up: (value !== 0) === c.reverse, weight: 0 };
  const w = Math.min(INT32_MAX, Math.max(INT32_MIN, value * c.weight * (c.reverse ? -1 : 1)));
  return w <= INT32_MIN ? { up: false, weight: 0 } : { up: true, weight: w };
}

/**
 * process_track_file: the first 127 bytes read as C strtol(buf, NULL, 0) (leading blanks, a sign, 0x hex,
 * a leading 0 octal, stopping at the first other character; nothing numeric = 0). A missing or empty file is 0.
 * Returns null for a number outside INT32_MIN..INT32_MAX+1, which keepalived logs and ignores.
 */
export function parseTrackFileValue(text: string | null): number | null {
  if (text === null) return 0;
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(text.slice(0, 127));
  if (!m) return 0;
  const digits = m[2] ?? '0';
  const base = /^0[xX]/.test(digits) ? 16 : digits.length > 1 && digits.startsWith('0') ? 8 : 10;
  const magnitude = base === 16 ? parseInt(digits.slice(2), 16) : parseInt(digits, base);
  const v = m[1] === '-' ? -magnitude : magnitude;
  return v < INT32_MIN || v > INT32_MAX + 1 ? null : v;
}

/** The names of the track_files some FILE_CHECK follows (the health layer reads those; VRRP tracks its own). */
export function fileCheckedTracks(cfg: KeepalivedConfig): Set<string> {
  const names = new Set<string>();
  for (const vs of cfg.virtualServers) for (const rs of vs.realServers) for (const c of rs.checkers) if (c.type === 'FILE_CHECK') names.add(c.trackFile);
  return names;
}
