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

t.test('checkers and alpha are acted on (daemon/health-wiring.ts): no warning', async (t) => {
  const text = vs(' alpha\n' + rs('10.0.1.1', '  TCP_CHECK {\n  }')) + vs(rs('10.0.1.3', '  HTTP_GET {\n   url {\n    path /\n   }\n  }'), '10.0.0.3 80');
  t.same(at(t, text), []);
});

t.test('track_file: read by a FILE_CHECK (health-wiring.ts) and by VRRP (vrrp-tracking.ts): no warning', async (t) => {
  const track = (name: string) => `track_file ${name} {\n file /run/lb/${name}\n}\n`;
  const text = track('followed') + track('vrrp_only') + vs(rs('10.0.1.1', '  FILE_CHECK {\n   track_file followed\n  }')) + vi(' track_file {\n  vrrp_only\n }');
  t.same(at(t, text), []);
});

t.test('track_process is still said to be parsed and not watched', async (t) => {
  const text = 'vrrp_track_process nginx {\n process nginx\n}\n';
  t.match(at(t, text), [/^test\.conf:1 warning LVSD_W_CONFIG_IGNORED 1 track_process: parsed but not watched/]);
});

t.test('VRRP instances, sync groups and vrrp_scripts run: no warning for them', async (t) => {
  const text = 'vrrp_script chk {\n script "/bin/true"\n}\n' + vi(' track_script {\n  chk\n }') + vi('', 'VI_2').replace('virtual_router_id 51', 'virtual_router_id 52') +
    'vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n}\n';
  t.same(at(t, text), []);
});
