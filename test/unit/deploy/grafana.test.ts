// deploy/grafana/lvsd.json: every query names only metrics lvsd's /metrics serves, with labels those
// metrics have. The names come from src/metrics/definitions.ts (ALL_DEFS) when it exists; before the
// metrics branch is merged, from the list in fixtures/dashboard-metrics.ts, which must then match it.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promqlUse } from './fixtures/promql-names.js';
import { DASHBOARD_METRICS } from './fixtures/dashboard-metrics.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface Def { readonly name: string; readonly labels: readonly string[] }

async function served(): Promise<{ source: string; labels: Map<string, readonly string[]> }> {
  const file = path.join(root, 'src', 'metrics', 'definitions.ts');
  if (!existsSync(file)) return { source: 'fixtures/dashboard-metrics.ts', labels: new Map(Object.entries(DASHBOARD_METRICS)) };
  const mod = (await import(pathToFileURL(file).href)) as { ALL_DEFS: readonly Def[] };
  return { source: 'src/metrics/definitions.ts', labels: new Map(mod.ALL_DEFS.map((d) => [d.name, d.labels])) };
}

const dashboard = JSON.parse(readFileSync(path.join(root, 'deploy', 'grafana', 'lvsd.json'), 'utf8')) as {
  panels: { title: string; targets: { expr: string; legendFormat?: string }[] }[];
};

t.test('the PromQL reader', async (t) => {
  t.same(promqlUse('sum by (a, b) (rate(x_total{c="1", d=~"e"}[5m])) / y'), { metrics: ['x_total', 'y'], labels: ['c', 'd', 'a', 'b'] });
});

t.test('every query names a served metric, with its labels', async (t) => {
  const { source, labels } = await served();
  t.comment(`metric names from ${source}`);
  let queries = 0;
  for (const p of dashboard.panels) {
    for (const q of p.targets) {
      queries++;
      const use = promqlUse(q.expr);
      t.ok(use.metrics.length > 0, `${p.title}: names a metric`);
      const known = new Set(use.metrics.flatMap((m) => labels.get(m) ?? []));
      known.add('instance').add('job');
      for (const m of use.metrics) t.ok(labels.has(m), `${p.title}: ${m} is served (${source})`);
      for (const l of use.labels) t.ok(known.has(l), `${p.title}: label ${l} exists on ${use.metrics.join(', ')}`);
      for (const m of (q.legendFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)) t.ok(known.has(m[1]!), `${p.title}: legend label ${m[1]}`);
    }
  }
  t.ok(queries >= 10, `${queries} queries`);
  for (const [name, ls] of Object.entries(DASHBOARD_METRICS)) t.same(labels.get(name), ls, `${name} as ${source} defines it`);
});
