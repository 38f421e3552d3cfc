// Runs configuration text through stages 1–2 (parseConfigText, no file system) and stage 3 (buildConfig).
import { buildConfig, type BuildEnv } from '../../../src/config/build.js';
import { parseConfigText } from '../../../src/config/parse.js';
import { formatDiagnostic, type Diagnostic } from '../../../src/config/tree.js';

export interface Built extends ReturnType<typeof buildConfig> {
  readonly errors: Diagnostic[];
  readonly warnings: Diagnostic[];
  /** "LINE CODE message" for each diagnostic of that severity — handy in t.match. */
  readonly text: (severity: 'error' | 'warning') => string[];
}

export function build(text: string, env: BuildEnv = {}): Built {
  const parsed = parseConfigText(text, {
    file: 'test.conf',
    readFile: (p) => { throw new Error(`no file ${p} in tests`); },
    glob: () => [],
  });
  const stage2 = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (stage2.length) throw new Error(`stage 1–2 rejected the test text: ${stage2.map(formatDiagnostic).join('; ')}`);
  const r = buildConfig(parsed.nodes, { lineText: parsed.lineText, ...env });
  const of = (s: 'error' | 'warning') => r.diagnostics.filter((d) => d.severity === s);
  return {
    ...r,
    errors: of('error'),
    warnings: of('warning'),
    text: (s) => of(s).map((d) => `${d.loc.line} ${d.code} ${d.message}`),
  };
}

/** A minimal valid virtual_server around `body` (lines inside the block), for LVS tests. */
export const vs = (body: string, head = '10.0.0.1 80') => `virtual_server ${head} {\n lb_algo rr\n lb_kind NAT\n protocol TCP\n${body}\n}\n`;

/** A minimal vrrp_instance around `body`. */
export const vi = (body: string, name = 'VI_1') => `vrrp_instance ${name} {\n interface eth0\n virtual_router_id 51\n virtual_ipaddress {\n  10.0.0.100\n }\n${body}\n}\n`;
