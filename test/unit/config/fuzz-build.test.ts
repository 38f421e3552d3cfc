// Property test of stage 3: keepalived-shaped configurations with random keywords and random values
// (good, bad and absurd) always come back from buildConfig as a model plus diagnostics — never a throw,
// never a hang, every diagnostic on a line of the input, and errors exactly when the model is unusable.
import t from 'tap';
import fc from 'fast-check';
import { parseConfigText } from '../../../src/config/parse.js';
import { buildConfig, ConfigBuilder } from '../../../src/config/build.js';
import { isDeepStrictEqual } from 'node:util';
import { desiredTable } from '../../../src/reconcile/desired.js';
import { memOptions } from './fixtures/memfs.js';

const RUNS = Number(process.env.LVSD_FUZZ_RUNS ?? 300);
const MAIN = '/etc/keepalived/keepalived.conf';

const value = fc.oneof(
  fc.constantFrom('1', '0', '-1', '255', '256', '65535', '65536', '3.5', '1e9', 'x', '', '10.0.0.1', '10.0.0.300', '::1', 'fe80::1%eth0',
    '10.0.0.1-20', 'eth0', 'rr', 'wlc', 'mh', 'nosuch', 'NAT', 'DR', 'TUN', 'TCP', 'UDP', 'SCTP', 'MASTER', 'BACKUP', 'yes', 'no', '"/bin/true"'),
  fc.integer({ min: -5, max: 70000 }).map(String),
  fc.string({ maxLength: 6 }).filter((s) => !/[{}#!\n\r"'\\$@~]/.test(s)),
);
const vals = fc.array(value, { maxLength: 3 }).map((v) => v.join(' '));

const rsKw = fc.constantFrom('weight', 'inhibit_on_failure', 'uthreshold', 'lthreshold', 'lvs_method', 'notify_up', 'bogus_keyword');
const checker = fc.tuple(fc.constantFrom('TCP_CHECK', 'HTTP_GET', 'SSL_GET', 'MISC_CHECK', 'SMTP_CHECK', 'DNS_CHECK', 'UDP_CHECK', 'PING_CHECK', 'FILE_CHECK'),
  fc.array(fc.tuple(fc.constantFrom('connect_timeout', 'connect_port', 'retry', 'delay_before_retry', 'misc_path', 'file', 'type', 'name', 'url'), vals), { maxLength: 4 }))
  .map(([k, kws]) => `    ${k} {\n${kws.map(([a, b]) => `      ${a} ${b}${a === 'url' ? ' {\n        path /\n        status_code 200\n      }' : ''}`).join('\n')}\n    }`);
const realServer = fc.tuple(vals, fc.array(fc.tuple(rsKw, vals), { maxLength: 4 }), fc.array(checker, { maxLength: 2 }))
  .map(([addr, kws, checks]) => `  real_server ${addr} {\n${kws.map(([a, b]) => `    ${a} ${b}`).join('\n')}\n${checks.join('\n')}\n  }`);
const vsKw = fc.constantFrom('lb_algo', 'lvs_sched', 'lb_kind', 'protocol', 'persistence_timeout', 'persistence_granularity', 'delay_loop', 'quorum',
  'hysteresis', 'sorry_server', 'ops', 'sh-port', 'mh-fallback', 'alpha', 'virtualhost', 'ha_suspend');
const virtualServer = fc.tuple(fc.constantFrom('', 'fwmark ', 'group '), vals, fc.array(fc.tuple(vsKw, vals), { maxLength: 5 }), fc.array(realServer, { maxLength: 3 }))
  .map(([kind, head, kws, rss]) => `virtual_server ${kind}${head} {\n${kws.map(([a, b]) => `  ${a} ${b}`).join('\n')}\n${rss.join('\n')}\n}`);
const group = fc.tuple(value, fc.array(vals, { maxLength: 3 })).map(([n, lines]) => `virtual_server_group ${n} {\n${lines.map((l) => `  ${l}`).join('\n')}\n}`);
const viKw = fc.constantFrom('state', 'interface', 'virtual_router_id', 'priority', 'advert_int', 'nopreempt', 'preempt_delay', 'version',
  'unicast_src_ip', 'track_script', 'notify_master', 'garp_master_delay', 'use_vmac', 'authentication');
const vrrp = fc.tuple(value, fc.array(fc.tuple(viKw, vals), { maxLength: 6 }), fc.array(vals, { maxLength: 3 }))
  .map(([n, kws, vips]) => `vrrp_instance ${n} {\n${kws.map(([a, b]) => `  ${a} ${b}`).join('\n')}\n  virtual_ipaddress {\n${vips.map((v) => `    ${v}`).join('\n')}\n  }\n}`);
const global = fc.array(fc.tuple(fc.constantFrom('router_id', 'lvs_timeouts', 'lvs_sync_daemon', 'vrrp_version', 'script_user', 'enable_snmp_vrrp', 'lvs_flush'), vals), { maxLength: 4 })
  .map((kws) => `global_defs {\n${kws.map(([a, b]) => `  ${a} ${b}`).join('\n')}\n}`);
const config = fc.array(fc.oneof(global, virtualServer, group, vrrp), { maxLength: 6 }).map((blocks) => blocks.join('\n'));

t.test('buildConfig on generated keepalived-shaped input', async (t) => {
  let slowest = 0;
  let usable = 0;
  fc.assert(
    fc.property(config, (text) => {
      const started = performance.now();
      const parsed = parseConfigText(text, memOptions({ [MAIN]: text }));
      const env = { interfaceExists: (n: string) => n === 'eth0' };
      const built = buildConfig(parsed.nodes, env);
      // lvsd itself builds block by block as the parser hands statements over: the outcome must not differ.
      const builder = new ConfigBuilder(env);
      parseConfigText(text, { ...memOptions({ [MAIN]: text }), sink: (n) => builder.add(n) });
      const streamed = builder.finish();
      if (!isDeepStrictEqual(streamed, built)) throw new Error('building block by block gave another result than building the whole tree');
      const ds = [...parsed.diagnostics, ...built.diagnostics];
      const errors = ds.filter((d) => d.severity === 'error');
      if (errors.length === 0) {
        usable++;
        desiredTable(built.config); // a usable model must also turn into a table
      }
      const lines = text.split('\n').length;
      for (const d of ds) {
        if (d.loc.line < 1 || d.loc.line > lines) throw new Error(`diagnostic '${d.message}' on line ${d.loc.line} of ${lines}`);
        if (d.message.trim() === '' || d.message.includes('\n')) throw new Error(`message not one line: '${d.message}'`);
        if (/INTERNAL/.test(d.code)) throw new Error(`internal error: ${d.message}`);
      }
      slowest = Math.max(slowest, performance.now() - started);
      if (slowest > 2000) throw new Error(`took ${slowest.toFixed(0)} ms`);
    }),
    { numRuns: RUNS, seed: Number(process.env.LVSD_FUZZ_SEED ?? 7) },
  );
  t.comment(`slowest ${slowest.toFixed(1)} ms; ${usable} of ${RUNS} generated configs were usable`);
  t.pass(`${RUNS} runs`);
});
