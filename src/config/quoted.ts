// The second way keepalived splits a line: alloc_strvec_quoted_escaped() in lib/parser.c (2.2.7), used for
// scripts (notify*, script, misc_path, quorum_up/down, …) and regex. keepalived.conf(5) "Quoted strings":
// "abcd" efg h jkl "mnop" stays together as long as quotes join it; both " and ' quote; shell-like escapes.

const WHITE = ' \t\f\n\r\v';

const SIMPLE: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Fa-f]$/.test(c);
const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';

/**
 * One escape after a backslash at s[i]; returns the produced character and the index after it.
 * Values wrap to 8 bits as keepalived's `char op_char` does; the man page of 2.2.7 reads every hex digit
 * of `\xXX…` (later keepalived stops after two).
 */
function escape(s: string, i: number): { ch: string; next: number } {
  const c = s[i];
  if (c === 'x' && isHex(s[i + 1])) {
    let v = 0;
    let j = i + 1;
    while (isHex(s[j])) v = ((v << 4) | parseInt(s[j++], 16)) & 0xff;
    return { ch: String.fromCharCode(v), next: j };
  }
  if (c === 'c' && i + 1 < s.length) return { ch: String.fromCharCode(s.charCodeAt(i + 1) & 0x1f), next: i + 2 };
  if (isOctal(c)) {
    let v = 0;
    let j = i;
    while (j < i + 3 && isOctal(s[j])) v = ((v << 3) + Number(s[j++])) & 0xff;
    return { ch: String.fromCharCode(v), next: j };
  }
  return { ch: SIMPLE[c] ?? c, next: i + 1 };
}

export type QuotedSplit = { readonly words: string[] } | { readonly error: string };

/**
 * Splits like a shell: white space separates words unless quoted; "…" and '…' quote (the other quote
 * character is literal inside); `\C` escapes work inside and outside quotes. An unterminated quote or a
 * trailing lone backslash is an error, as keepalived then refuses the whole line.
 */
export function splitQuotedEscaped(s: string): QuotedSplit {
  const words: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && WHITE.includes(s[i])) i++;
    if (i >= s.length) break;
    let word = '';
    let quote = '';
    while (i < s.length) {
      const c = s[i];
      if (c === '\\') {
        if (i + 1 >= s.length) return { error: 'A backslash at the end of the text has nothing to escape.' };
        const e = escape(s, i + 1);
        word += e.ch;
        i = e.next;
      } else if (quote !== '') {
        if (c === quote) quote = '';
        else word += c;
        i++;
      } else if (c === '"' || c === "'") {
        quote = c;
        i++;
      } else if (WHITE.includes(c)) {
        break;
      } else {
        word += c;
        i++;
      }
    }
    if (quote !== '') return { error: `A ${quote === '"' ? 'double' : 'single'} quote is never closed.` };
    words.push(word);
  }
  return { words };
}
