import t from 'tap';
import { parseIp, addrFold, addrPort, v6ToWords, v6Text } from '../../../src/model/address.js';

t.test('parses and canonicalises v4 and v6', async (t) => {
  t.same(parseIp('10.0.0.1'), { af: 4, text: '10.0.0.1' });
  t.same(parseIp('2001:DB8:0:0:0:0:0:1'), { af: 6, text: '2001:db8::1' });
  t.same(parseIp('::ffff:1.2.3.4'), { af: 6, text: '::ffff:1.2.3.4' });
  t.same(parseIp('1:0:0:1:0:0:0:1'), { af: 6, text: '1:0:0:1::1' });
  t.same(parseIp('::'), { af: 6, text: '::' });
  t.same(parseIp('::1'), { af: 6, text: '::1' });
  t.same(parseIp('fe80:0:0:1:0:0:0:0'), { af: 6, text: 'fe80:0:0:1::' });
  t.equal(parseIp('10.0.0.256'), null);
  t.equal(parseIp('host'), null);
});

t.test('v6 words round-trip', async (t) => {
  t.same(v6ToWords('2001:db8::1'), [0x20010db8, 0, 0, 1]);
  t.equal(v6Text([0x20010db8, 0, 0, 1]), '2001:db8::1');
  t.same(v6ToWords('::ffff:10.1.2.3'), [0, 0, 0xffff, 0x0a010203]);
});

t.test('fold and addr:port', async (t) => {
  t.equal(addrFold({ af: 4, text: '10.0.0.1' }), 0x0a000001);
  t.equal(addrFold({ af: 6, text: '2001:db8::1' }), (0x20010db8 ^ 1) >>> 0);
  t.equal(addrPort({ af: 6, text: '::1' }, 80), '[::1]:80');
  t.equal(addrPort({ af: 4, text: '1.2.3.4' }, 0), '1.2.3.4:0');
});
