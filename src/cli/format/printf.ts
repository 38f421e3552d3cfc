/** The printf conversions the listings use, so each line reads like its C format string. */

/** %-Ns: left-justified, never truncated. */
export const left = (s: string | number, width: number): string => String(s).padEnd(width);

/** %Ns / %Nllu: right-justified, never truncated. */
export const right = (s: string | number | bigint, width: number): string => String(s).padStart(width);

/** An unsigned counter as C prints it (%u/%llu): integral, no exponent notation. */
export const u = (n: number): bigint => BigInt(Math.trunc(Math.max(0, n)));

/** %d of a value held in a C int: the low 32 bits, signed. */
export const d32 = (n: number): number => n | 0;

/**
 * print_largenum(): 9 columns. --exact prints every digit (one blank before, at least 9 wide); otherwise
 * values from 1e8 are scaled to K (below 1e9), M (below 1e11), G (below 1e14) or T, truncating.
 */
export function largenum(n: number, exact: boolean): string {
  const i = u(n);
  if (exact) {
    const len = i.toString().length;
    return right(i, len <= 8 ? 9 : len + 1);
  }
  if (i < 100000000n) return right(i, 9);
  if (i < 1000000000n) return `${right(i / 1000n, 8)}K`;
  if (i < 100000000000n) return `${right(i / 1000000n, 8)}M`;
  if (i < 100000000000000n) return `${right(i / 1000000000n, 8)}G`;
  return `${right(i / 1000000000000n, 8)}T`;
}
