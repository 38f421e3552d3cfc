/**
 * lvsadm's options of its own, anywhere before `--`, removed before ipvsadm parsing: `--control PATH` (or
 * `--control=PATH`) picks the daemon's socket; `--kernel` talks to kernel IPVS directly even when a daemon
 * runs. ipvsadm has neither, so no ipvsadm command line changes meaning.
 */
export function takeControlOption(argv: readonly string[]): { control: string | undefined; kernel: boolean; rest: string[] } {
  const rest: string[] = [];
  let control: string | undefined;
  let kernel = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { rest.push(...argv.slice(i)); break; }
    if (a === '--kernel') kernel = true;
    else if (a === '--control' && i + 1 < argv.length) control = argv[++i];
    else if (a.startsWith('--control=')) control = a.slice('--control='.length);
    else rest.push(a);
  }
  return { control, kernel, rest };
}

/** The name messages use: the invoked file's name without a .js/.ts suffix (ipvsadm prints argv[0]). */
export function programName(argv1: string | undefined): string {
  const base = (argv1 ?? '').split('/').pop() ?? '';
  return base.replace(/\.[cm]?[jt]s$/, '') || 'lvsadm';
}
