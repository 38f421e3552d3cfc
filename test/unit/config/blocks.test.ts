import t from 'tap';
import { parseConfigText } from '../../../src/config/parse.js';
import { memOptions } from './fixtures/memfs.js';
import { errors, shape, where } from './fixtures/shape.js';

const MAIN = '/etc/keepalived/keepalived.conf';
const parse = (text: string, files: Record<string, string> = {}, extra = {}) => parseConfigText(text, memOptions(files, extra));

t.test('block tree', async (t) => {
  const r = parse(
    [
      'global_defs {',
      '  router_id r1',
      '  notification_email { a@b c@d }',
      '}',
      'vrrp_instance VI_1',
      '{',
      '  state MASTER',
      '  virtual_ipaddress {',
      '  }',
      '}',
      'virtual_server 10.0.0.1 80{real_server 10.0.0.2 80 {weight 1}}',
      'lvs_flush',
    ].join('\n'),
  );
  t.same(r.diagnostics, []);
  t.same(shape(r.nodes), [
    ['global_defs', ['router_id r1', ['notification_email', ['a@b c@d']]]],
    ['vrrp_instance VI_1', ['state MASTER', ['virtual_ipaddress', []]]],
    ['virtual_server 10.0.0.1 80', [['real_server 10.0.0.2 80', ['weight 1']]]],
    'lvs_flush',
  ]);
  t.same(r.nodes[1].loc, { file: MAIN, line: 5 });
  t.same(r.nodes[1].children?.[0].loc, { file: MAIN, line: 7 });
  t.equal(r.nodes[1].children?.[1].children?.length, 0, 'an empty block has children = []');
  t.equal(r.nodes[3].children, null, 'no block: children = null');
});

t.test('address ranges and quoted words are kept as text', async (t) => {
  const r = parse('virtual_server_group G {\n  10.0.0.1-10 80\n  fwmark 7\n}\nnotify_master "/bin/n.sh \'a b\'" root\n');
  t.same(shape(r.nodes), [['virtual_server_group G', ['10.0.0.1-10 80', 'fwmark 7']], `notify_master /bin/n.sh 'a b' root`]);
  t.equal(r.nodes[1].text, `notify_master "/bin/n.sh 'a b'" root`, 'the text scripts re-split with quotes and escapes');
});

t.test('conditional configuration (keepalived.conf(5) example)', async (t) => {
  const text = [
    'global_defs {',
    '    @main   router_id main_router',
    '    @backup router_id backup_router',
    '}',
    'vrrp_instance VRRP {',
    '    @main    unicast_src_ip 1.2.3.4',
    '    @backup  unicast_src_ip 1.2.3.5',
    '    @backup2 unicast_src_ip 1.2.3.6',
    '    unicast_peer {',
    '        @^main    1.2.3.4',
    '        @^backup  1.2.3.5',
    '        @^backup2 1.2.3.6',
    '    }',
    '}',
  ].join('\n');
  t.same(shape(parse(text).nodes), [
    ['global_defs', ['router_id main_router']],
    ['vrrp_instance VRRP', ['unicast_src_ip 1.2.3.4', ['unicast_peer', ['1.2.3.5', '1.2.3.6']]]],
  ]);
  t.same(shape(parse(text, {}, { configId: 'other' }).nodes), [
    ['global_defs', []],
    ['vrrp_instance VRRP', [['unicast_peer', ['1.2.3.4', '1.2.3.5', '1.2.3.6']]]],
  ]);
});

t.test('parameters with conditionals (keepalived.conf(5) examples)', async (t) => {
  const text = '@main $PRIORITY=240\n@backup $PRIORITY=200\nvrrp_instance VI_0 {\n    priority $PRIORITY\n}\n$IF_MAIN=@main\n$IF_MAIN priority 240\n';
  t.same(shape(parse(text).nodes), [['vrrp_instance VI_0', ['priority 240']], 'priority 240']);
  t.same(shape(parse(text, {}, { configId: 'backup' }).nodes), [['vrrp_instance VI_0', ['priority 200']]]);
});

t.test('multi-line definitions (keepalived.conf(5) examples)', async (t) => {
  const instance = [
    '$INSTANCE= \\',
    'vrrp_instance VI_${NUM} { \\',
    '    interface eth0.${NUM} \\',
    '    @high priority 130 \\',
    '    @low priority 120 \\',
    '    virtual_ipaddress { \\',
    '        10.0.${NUM}.254/24 \\',
    '    } \\',
    '}',
    '',
    '$NUM=0',
    '$INSTANCE',
    '$NUM=1',
    '$INSTANCE',
  ].join('\n');
  const r = parse(instance, {}, { configId: 'low' });
  t.same(r.diagnostics, []);
  t.same(shape(r.nodes), [
    ['vrrp_instance VI_0', ['interface eth0.0', 'priority 120', ['virtual_ipaddress', ['10.0.0.254/24']]]],
    ['vrrp_instance VI_1', ['interface eth0.1', 'priority 120', ['virtual_ipaddress', ['10.0.1.254/24']]]],
  ]);
  t.same(r.nodes[1].children?.[0].loc, { file: MAIN, line: 14 }, 'expanded lines carry the line of the reference');

  const nested = [
    '$RS= \\',
    'real_server 192.168.${VS_NUM}.${RS_NUM} 80 { \\',
    '    weight 1 \\',
    '    MISC_CHECK { \\',
    '        misc_path "${_PWD}/scripts/vs.sh ${INST}.${VS_NUM}.${RS_NUM}" \\',
    '    } \\',
    '}',
    '$VS= \\',
    'virtual_server 10.0.${VS_NUM}.4 80 { \\',
    '    quorum 2 \\',
    '    $RS_NUM=1 \\',
    '    $RS \\',
    '    $RS_NUM=2 \\',
    '    $RS \\',
    '}',
    '$INST=i',
    '$VS_NUM=0',
    '$VS',
  ].join('\n');
  const rs = (n: number) => [`real_server 192.168.0.${n} 80`, ['weight 1', ['MISC_CHECK', [`misc_path /etc/keepalived/scripts/vs.sh i.0.${n}`]]]];
  t.same(shape(parse(nested).nodes), [['virtual_server 10.0.0.4 80', ['quorum 2', rs(1), rs(2)]]]);
});

t.test('multi-line definition edge cases from lib/parser.c', async (t) => {
  // An empty physical line ends the definition early (2.2.7 read_line); comment-only lines do not.
  const r = parse('$M=a \\\n# note\nb \\\n\nc\n$M\n');
  t.same(shape(r.nodes), ['c', 'a', 'b']);
  // A skipped '@ID' definition takes its body with it.
  t.same(shape(parse('@other $M= \\\nx \\\ny\n$M\nz\n').nodes), ['$M', 'z']);
  t.same(shape(parse('$E= \\\n\n$E x\n').nodes), ['x'], 'an empty multi-line definition');
});

t.test('undefined parameters are kept and warned about', async (t) => {
  const r = parse('script "/bin/x $HOME/y ${UNDEF}"\nip ${UNDEF2}.1 {\n}\n$ML=a \\\nb\nk $ML z\n');
  t.same(shape(r.nodes), ['script /bin/x $HOME/y ${UNDEF}', ['ip ${UNDEF2}.1', []], 'k $ML z']);
  t.same(where(r.diagnostics), [
    `warning LVSD_W_CONFIG_UNDEFINED_PARAM ${MAIN}:1`,
    `warning LVSD_W_CONFIG_UNDEFINED_PARAM ${MAIN}:2`,
    `warning LVSD_W_CONFIG_UNDEFINED_PARAM ${MAIN}:6`,
  ]);
  t.match(r.diagnostics[2].message, /only expanded at the end of a line/);
});

t.test('pre-defined parameters', async (t) => {
  const r = parse('a ${_PWD} ${_INSTANCE} ${_RANDOM 5 9} x${_HASH}y ${_BANG}\n', {}, { instance: 'inst' });
  t.same(shape(r.nodes), ['a /etc/keepalived inst 5 x#y !']);
  t.same(shape(parse('a ${_INSTANCE}\n').nodes), ['a main'], '_INSTANCE defaults to the config id, as keepalived');
  const none = parseConfigText('a "${_INSTANCE}"\n', { file: '/x.conf', readFile: () => '', glob: () => [] });
  t.same(none.nodes[0].args, [''], 'no config id and no instance: empty');
});

t.test('~SEQ and ~LST generate statements', async (t) => {
  const r = parse(
    [
      'virtual_ipaddress {',
      '  ~SEQ(SUBNET, 0, 2) 10.0.${SUBNET}.1',
      '  ~SEQx(AD2, 0x90, 0x10, 0xa0) ~SEQx(AD1, 0x12, -1, 0x11) fe81::10:${AD2}:${AD1}',
      '  ~LST({IP, IP1}, {10,1},{20,4}) ~SEQ(IP2,168,2,170) 192.${IP2}.${IP}.${IP1}',
      '}',
      '$N=2',
      '~SEQ(i, $N) k$i',
    ].join('\n'),
  );
  t.same(r.diagnostics, []);
  t.same(shape(r.nodes), [
    [
      'virtual_ipaddress',
      [
        '10.0.0.1', '10.0.1.1', '10.0.2.1',
        'fe81::10:90:12', 'fe81::10:90:11', 'fe81::10:a0:12', 'fe81::10:a0:11',
        '192.168.10.1', '192.170.10.1', '192.168.20.4', '192.170.20.4',
      ],
    ],
    'k1',
    'k2',
  ]);
  t.equal(r.nodes[0].children?.[4].loc.line, 3);
});

t.test('generators with a multi-line definition (the man page $VI4 example, smaller)', async (t) => {
  const text = [
    '$VI4= \\',
    'vrrp_instance vrrp4.${IF}.${ID} { \\',
    '    virtual_router_id ${ID} \\',
    '}',
    '~SEQ(IF,0,1) ~SEQ(ID,1,2) $VI4',
    '$G=~SEQ(j,1,2) g${j}',
    '$j=stale',
    '$G',
  ].join('\n');
  t.same(shape(parse(text).nodes), [
    ['vrrp_instance vrrp4.0.1', ['virtual_router_id 1']],
    ['vrrp_instance vrrp4.0.2', ['virtual_router_id 2']],
    ['vrrp_instance vrrp4.1.1', ['virtual_router_id 1']],
    ['vrrp_instance vrrp4.1.2', ['virtual_router_id 2']],
    'g1',
    'g2',
  ]);
});

t.test('line continuation is joined with a portability warning', async (t) => {
  const r = parse('lvs_sync_daemon eth0 VI_1 \\\n    id 5 \\\n    port 8848\nnext\n');
  t.same(shape(r.nodes), ['lvs_sync_daemon eth0 VI_1 id 5 port 8848', 'next']);
  t.same(where(r.diagnostics), [`warning LVSD_W_CONFIG_CONTINUATION ${MAIN}:1`]);
});

t.test('includes: relative to the including file, in glob order, inside blocks', async (t) => {
  const files = {
    '/etc/keepalived/conf.d/b.conf': 'real_server 10.0.0.2 80\n',
    '/etc/keepalived/conf.d/a.conf': 'real_server 10.0.0.1 80 {\n  include ../rs/weight.conf\n}\n',
    '/etc/keepalived/rs/weight.conf': 'weight ${_PWD}\n',
  };
  const r = parse('virtual_server 10.0.0.9 80 {\n  include conf.d/*.conf\n}\npwd $_PWD\n', files);
  t.same(r.diagnostics, []);
  t.same(shape(r.nodes), [
    ['virtual_server 10.0.0.9 80', [['real_server 10.0.0.1 80', ['weight /etc/keepalived/rs']], 'real_server 10.0.0.2 80']],
    'pwd /etc/keepalived',
  ]);
  t.same(r.nodes[0].children?.[0].children?.[0].loc, { file: '/etc/keepalived/rs/weight.conf', line: 1 });
  const one = parse('x { include rs/weight.conf }\n', files);
  t.same(shape(one.nodes), [['x', ['weight /etc/keepalived/rs']]], 'an include after a brace stops at the next brace');
  t.same(shape(parse('$F=conf.d/b.conf\ninclude $F\n', files).nodes), ['real_server 10.0.0.2 80'], 'parameters in an include');
  t.same(shape(parse('include {conf.d/b,rs/weight}.conf\n', files).nodes), ['real_server 10.0.0.2 80', 'weight /etc/keepalived/rs']);
});

t.test('definitions made in an included file stay defined', async (t) => {
  const r = parse('include defs.conf\nprio $P\n', { '/etc/keepalived/defs.conf': '$P=150\n' });
  t.same(shape(r.nodes), ['prio 150']);
});

t.test('include checks decide between warning and error', async (t) => {
  const plain = parse('include nothere.conf\ninclude conf.d/*.conf\n', { '/etc/keepalived/conf.d/README': '' });
  t.same(where(plain.diagnostics), [`warning LVSD_W_CONFIG_INCLUDE ${MAIN}:1`], 'plain include: missing file is a warning, empty wildcard is silent');
  t.same(where(parse('includea nothere.conf\n').diagnostics), [`error LVSD_E_CONFIG_INCLUDE ${MAIN}:1`]);
  t.same(where(parse('includew conf.d/*.conf\n', {}, {}).diagnostics), [`error LVSD_E_CONFIG_INCLUDE ${MAIN}:1`]);
  t.same(where(parse('include nothere.conf\n', {}, { allConfig: true }).diagnostics), [`error LVSD_E_CONFIG_INCLUDE ${MAIN}:1`], 'keepalived -e');
  const files = { '/etc/keepalived/sub.conf': 'include_check -match\ninclude gone1.conf\n', '/etc/keepalived/a.conf': 'a 1\n' };
  const checked = parse('global_defs {\n  include_check match\n}\ninclude sub.conf\ninclude gone2.conf\nincludeb {a,zz}.conf\n', files);
  t.same(where(checked.diagnostics), [
    `warning LVSD_W_CONFIG_INCLUDE /etc/keepalived/sub.conf:2`,
    `error LVSD_E_CONFIG_INCLUDE ${MAIN}:5`,
    `error LVSD_E_CONFIG_INCLUDE ${MAIN}:6`,
  ], 'include_check is restored when an included file ends');
  t.same(shape(checked.nodes), [['global_defs', ['include_check match']], 'include_check -match'], 'a failed brace_match abandons the include');
});

t.test('include cycles and depth are errors, not hangs', async (t) => {
  const files = { '/etc/keepalived/a.conf': 'a 1\ninclude b.conf\n', '/etc/keepalived/b.conf': 'b 1\ninclude a.conf\n' };
  const r = parse('include a.conf\n', files);
  t.same(shape(r.nodes), ['a 1', 'b 1']);
  t.same(where(errors(r.diagnostics)), ['error LVSD_E_CONFIG_INCLUDE /etc/keepalived/b.conf:2']);
  t.match(r.diagnostics[0].message, /a\.conf → .*b\.conf → .*a\.conf/);
  const self = parse('x\ninclude keepalived.conf\n', { [MAIN]: 'unused' });
  t.match(errors(self.diagnostics), [{ loc: { line: 2 }, message: /cycle/ }], 'including the main file itself');
  const chain: Record<string, string> = {};
  for (let i = 0; i < 40; i++) chain[`/etc/keepalived/c${i}.conf`] = `include c${i + 1}.conf\n`;
  const deep = parse('include c0.conf\n', chain);
  t.match(errors(deep.diagnostics), [{ code: 'LVSD_E_CONFIG_INCLUDE', message: /nested more than 32/ }]);
  const diamond: Record<string, string> = {};
  for (let i = 0; i < 20; i++) diamond[`/etc/keepalived/d${i}.conf`] = `include d${i + 1}.conf\ninclude d${i + 1}.conf\n`;
  const wide = parse('include d0.conf\n', diamond, { limits: { maxFiles: 100 } });
  t.match(errors(wide.diagnostics), [{ code: 'LVSD_E_CONFIG_LIMIT', message: /100 configuration files/ }]);
});

t.test('limits stop runaway expansion', async (t) => {
  const many = parse('~SEQ(i,1,5000) ~SEQ(j,1,5000) x\n', {}, { limits: { maxStatements: 10000 } });
  t.match(errors(many.diagnostics), [{ code: 'LVSD_E_CONFIG_LIMIT', loc: { line: 1 } }]);
  const big = parse('~SEQ(i,1,3000000) x\n');
  t.match(errors(big.diagnostics), [{ code: 'LVSD_E_CONFIG_LIMIT', message: /3000000 lines/ }]);
  t.equal(big.nodes.length, 0, 'refused before generating');
  const selfRef = parse('$M= \\\na \\\n$M\n$M\n');
  t.match(errors(selfRef.diagnostics), [{ code: 'LVSD_E_CONFIG_LIMIT', message: /nested more than 32/, loc: { line: 4 } }]);
  const deep = parse(`${'a {\n'.repeat(70)}${'}\n'.repeat(70)}`);
  t.match(errors(deep.diagnostics), [{ code: 'LVSD_E_CONFIG_LIMIT', message: /nested more than 64/, loc: { line: 65 } }]);
});
