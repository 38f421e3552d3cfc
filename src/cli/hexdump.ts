/**
 * keepalived's dump_buffer (lib/utils.c), which genhash -v prints: 16 bytes a line, a decimal offset,
 * " -" between the two halves, the printable ASCII after, the last line padded.
 */
export function dumpBuffer(b: Uint8Array): string {
  let out = '';
  const rows = Math.ceil(b.length / 16);
  for (let r = 0; r < rows; r++) {
    let line = `${String((r * 16) & 0xffff).padStart(4, '0')} `;
    let ascii = '';
    for (let i = r * 16; i < r * 16 + 16; i++) {
      const c = b[i];
      line += c === undefined ? '   ' : ` ${c.toString(16).padStart(2, '0')}`;
      ascii += c === undefined ? ' ' : c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : '.';
      if (i % 16 === 7) line += ' -';
    }
    out += `${line}   ${ascii}\n`;
  }
  return out;
}
