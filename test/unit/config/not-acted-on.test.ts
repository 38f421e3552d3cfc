import t, { type Test } from 'tap';
import { notActedOn } from '../../../src/config/not-acted-on.js';
import { build, vi, vs } from './fixtures/build.js';

const at = (t: Test, text: string): string[] => {
  const r = build(text);
  t.same(r.errors, [], 'the test text builds');
  return notActedOn(r.config).map((d) => `${d.loc.file}:${d.loc.line} ${d.severity} ${d.code} ${d.message}`);
};

const rs = (addr: string, body = '') => ` real_server ${addr} 80 {\n${body}\n }`;

t.test('a configuration lvsd acts on entirely gets no warning', async (t) => {
  t.same(at(t, vs(rs('10.0.1.1')) + vs(rs('10.0.1.2'), '10.0.0.2 80')), []);
});

t.test('checkers: one warning for all virtual servers that have them, at the first, naming the types', async (t) => {
  const text = vs(rs('10.0.1.1', '  TCP_CHECK {\n  }')) + vs(rs('10.0.1.2'), '10.0.0.2 80') + vs(rs('10.0.1.3', '  HTTP_GET {\n   url {\n    path /\n   }\n  }'), '10.0.0.3 80');
  const w = at(t, text);
  t.equal(w.length, 1);
  t.match(w[0], /^test\.conf:1 warning LVSD_W_CONFIG_IGNORED health checkers \(TCP_CHECK, HTTP_GET\) in 2 virtual_servers are parsed but not run yet: .*\(the first of them is here\)$/);
});

t.test('alpha with a checker: the real server starts down and stays out, said at the real server', async (t) => {
  const w = at(t, vs(' alpha\n' + rs('10.0.1.1', '  TCP_CHECK {\n  }')));
  t.equal(w.length, 2);
  t.match(w[1], /^test\.conf:6 warning LVSD_W_CONFIG_IGNORED 'alpha' applies to 1 real_server with a checker: such a server starts down until a checker passes, and no checker runs yet, so it stays out of the table/);
  t.same(at(t, vs(' alpha\n' + rs('10.0.1.1'))), [], 'alpha without a checker changes nothing');
});

t.test('VRRP instances, sync groups and vrrp_scripts run: no warning for them', async (t) => {
  const text = 'vrrp_script chk {\n script "/bin/true"\n}\n' + vi(' track_script {\n  chk\n }') + vi('', 'VI_2').replace('virtual_router_id 51', 'virtual_router_id 52') +
    'vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n}\n';
  t.same(at(t, text), []);
});
