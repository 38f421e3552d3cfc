import t from 'tap';
import { parseGenhashArgs } from '../../../src/cli/genhash-args.js';
import { dumpBuffer } from '../../../src/cli/hexdump.js';

t.test('genhash options, short, clustered and long', async (t) => {
  t.match(parseGenhashArgs(['-s', '10.0.0.1', '-p', '80', '-u', '/x']), { server: { af: 4, text: '10.0.0.1' }, port: 80, url: '/x', ssl: false, protocol: '1.0', timeout: null });
  t.match(parseGenhashArgs(['-SIv', '-s2001:db8::1', '-p443', '-u/', '-V', 'a.test', '-P', '1.0c', '-t', ' 5']),
    { ssl: true, sni: true, verbose: true, server: { af: 6 }, port: 443, virtualhost: 'a.test', protocol: '1.0C', timeout: 5 });
  t.match(parseGenhashArgs(['--server=127.0.0.1', '--port', '8080', '--url', '/', '--protocol=1.1']), { port: 8080, protocol: '1.1' });
});

t.test('genhash\'s messages for bad arguments', async (t) => {
  t.same(parseGenhashArgs(['-h']), { errors: [] }, 'fewer than two arguments: only the usage');
  t.same(parseGenhashArgs(['-s', 'host', '-p', '80', '-u', '/']), { errors: ['server should be an IP, not host'] });
  t.same(parseGenhashArgs(['-s', '1.1.1.1', '-p', '0', '-u', '/']), { errors: ["invalid port number '0'"] });
  t.same(parseGenhashArgs(['-s', '1.1.1.1', '-p', '80', '-u', '/', '-P', '2.0']), { errors: ["invalid HTTP protocol version '2.0'"] });
  t.same(parseGenhashArgs(['-s', '1.1.1.1', '-p', '80', '-u', '/', '-t', '-1']), { errors: ["invalid timeout '-1'"] });
  t.same(parseGenhashArgs(['-s', '1.1.1.1', '-p', '80', '-u', '/', '-q']), { errors: ['Unknown option -q'] });
  t.same(parseGenhashArgs(['-s', '1.1.1.1', '-p', '80', '-u', '/', '--nope']), { errors: ['Unknown option --nope'] });
  t.same(parseGenhashArgs(['-s', '1.1.1.1', '-p', '80', '-u']), { errors: ['Missing parameter for option -u'] });
  t.same(parseGenhashArgs(['-s', '1.1.1.1', '-p', '80', '-u', '/', 'extra', 'words']), { errors: ['Unexpected argument(s): extra words'] });
  t.same(parseGenhashArgs(['-s', '1.1.1.1', '-p', '80']), { errors: [] }, 'no url: only the usage');
  t.match(parseGenhashArgs(['-s', '1.1.1.1', '-p', '80', '-u', '/', '-m', '3']), { errors: [/SO_MARK/] });
});

t.test('dump_buffer layout', async (t) => {
  t.equal(dumpBuffer(Buffer.from('HTTP/1.1 200 OK\r\n')),
    '0000  48 54 54 50 2f 31 2e 31 - 20 32 30 30 20 4f 4b 0d   HTTP/1.1 200 OK.\n' +
    '0016  0a                      -                           .               \n');
  t.equal(dumpBuffer(Buffer.alloc(0)), '');
});
