/**
 * regex / regex_no_match over a response body that arrives in pieces, in bounded memory.
 *
 * keepalived (check/check_http.c check_regex) runs PCRE2 with PCRE2_PARTIAL_HARD over its 4 KiB receive
 * buffer and carries a partial match's start into the next read; a partial match longer than the
 * buffer is discarded. JavaScript has no partial matching, so this keeps a sliding window of the last
 * WINDOW bytes and re-runs the expression as each piece arrives: a match that fits in the window is
 * found wherever the pieces were cut, as with keepalived; one longer than the window is not, as there.
 */
import type { HttpRegex } from '../../model/config-checkers.js';

/** keepalived's MAX_BUFFER_LENGTH − 1 (check_http.h): the longest match either can see. */
export const WINDOW = 4095;
/** How much new text each scan adds, so one scan never covers more than WINDOW + STEP characters. */
const STEP = 2048;

/** PCRE2 options (regex_options) with a JavaScript flag; the others have no equivalent and are ignored. */
const FLAGS: Readonly<Record<string, string>> = { caseless: 'i', multiline: 'm', dotall: 's' };

const compiled = new WeakMap<HttpRegex, RegExp | string>();

/** The expression as a global JavaScript RegExp, or why it cannot be one (PCRE2-only syntax). */
export function compileRegex(r: HttpRegex): RegExp | string {
  const cached = compiled.get(r);
  if (cached !== undefined) return cached;
  const flags = 'g' + [...new Set(r.options.map((o) => FLAGS[o] ?? ''))].join('');
  let out: RegExp | string;
  try {
    out = new RegExp(r.pattern, flags);
  } catch (e) {
    out = `regex ${JSON.stringify(r.pattern)} is not a valid JavaScript expression: ${(e as Error).message}`;
  }
  compiled.set(r, out);
  return out;
}

export class RegexScanner {
  /** Body text (latin1: one character per byte, so indexes are byte offsets) not yet dropped. */
  private window = '';
  /** Body offset of window[0]. */
  private start = 0;
  private done = false;
  matched = false;

  constructor(private readonly re: RegExp, private readonly minOffset: number, private readonly maxOffset: number) {}

  feed(body: Uint8Array): void {
    for (let i = 0; i < body.length && !this.done; i += STEP) {
      this.window += Buffer.from(body.buffer, body.byteOffset + i, Math.min(STEP, body.length - i)).toString('latin1');
      this.scan();
      if (this.window.length > WINDOW) {
        const drop = this.window.length - WINDOW;
        this.window = this.window.slice(drop);
        this.start += drop;
      }
    }
  }

  private scan(): void {
    // regex_min_offset: no match may start before it; regex_max_offset (stored one beyond): none at or after it.
    const from = Math.max(0, this.minOffset - this.start);
    if (from >= this.window.length) return;
    if (this.maxOffset && this.start + from >= this.maxOffset) {
      this.done = true;
      return;
    }
    this.re.lastIndex = from;
    const m = this.re.exec(this.window);
    if (!m) return;
    const at = this.start + m.index;
    if (!this.maxOffset || at < this.maxOffset) this.matched = true;
    // The leftmost match is at or past the limit: nothing later can start earlier.
    this.done = true;
  }
}
