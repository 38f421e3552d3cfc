// POSIX path arithmetic for include resolution, kept here so the preprocessing stages import no node module.
// Purely lexical: keepalived chdir()s into an included file's directory and lets the kernel resolve '..';
// lexical '..' only differs through symlinked directories, which the include depth limit still bounds.

export function isAbsolute(p: string): boolean {
  return p.startsWith('/');
}

/** Collapses '//' and '.', resolves '..' lexically; keeps a leading '/'; '' becomes '.'. */
export function normalize(p: string): string {
  const abs = isAbsolute(p);
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
      continue;
    }
    out.push(part);
  }
  const body = out.join('/');
  if (abs) return `/${body}`;
  return body === '' ? '.' : body;
}

/** `p` made absolute against `base` (itself absolute). */
export function resolve(base: string, p: string): string {
  return normalize(isAbsolute(p) ? p : `${base}/${p}`);
}

/** The directory part, as dirname(3): '/a/b' → '/a', '/a' → '/', 'a' → '.'. */
export function dirname(p: string): string {
  const trimmed = p.length > 1 ? p.replace(/\/+$/, '') : p;
  const i = trimmed.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return trimmed.slice(0, i);
}
