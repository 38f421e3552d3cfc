import t from 'tap';
import { createHash } from 'node:crypto';
import { contentLength, HttpResponse, MAX_HEADER, statusCode } from '../../../../src/health/checkers/http-response.js';
import { regex, url } from '../../../../src/testing/checkers.js';
import type { HttpUrl } from '../../../../src/model/config-checkers.js';

const md5 = (s: string | Buffer): string => createHash('md5').update(s).digest('hex');

/** Feeds the response in pieces of `piece` bytes and returns the verdict. */
function judge(u: HttpUrl, response: string | Buffer, piece = 7): ReturnType<HttpResponse['end']> {
  const r = new HttpResponse(u);
  const b = Buffer.isBuffer(response) ? response : Buffer.from(response, 'latin1');
  for (let i = 0; i < b.length; i += piece) {
    const early = r.feed(b.subarray(i, i + piece));
    if (early) return early;
  }
  return r.end();
}

const ok = (body: string, headers = ''): string => `HTTP/1.1 200 OK\r\n${headers}\r\n${body}`;

t.test('status line as lib/html.c extract_status_code reads it', async (t) => {
  t.equal(statusCode('HTTP/1.0 200 OK\r\n'), 200);
  t.equal(statusCode('HTTP/1.1 404 Not Found\r\n'), 404);
  t.equal(statusCode('HTTP/1.1 200\r\n\r\n'), 0, 'no space after the code');
  t.equal(statusCode('HTTP/1.1 20 OK\r\n'), 0, 'two digits');
  t.equal(statusCode('HTTP/1.1  200 OK\r\n'), 0, 'two spaces');
  t.equal(statusCode('garbage\r\n'), 0);
  t.equal(statusCode('HTTP/1.1 2x0 OK\r\n'), 0);
});

t.test('Content-Length as extract_content_length reads it', async (t) => {
  t.equal(contentLength('HTTP/1.0 200 OK\r\nContent-Length: 12\r\n\r\n'), 12);
  t.equal(contentLength('HTTP/1.0 200 OK\r\ncontent-length: 12\r\n\r\n'), null, 'case-sensitive as keepalived');
  t.equal(contentLength('HTTP/1.0 200 OK\r\nContent-Length: 12x\r\n\r\n'), null);
});

t.test('status ranges', async (t) => {
  t.equal(judge(url('/'), ok('hi')).up, true);
  const nf = judge(url('/'), 'HTTP/1.1 404 Not Found\r\n\r\nnope');
  t.match(nf, { up: false, reason: 'status', detail: /404/ });
  t.equal(judge(url('/', { statusCodes: [[200, 200], [400, 404]] }), 'HTTP/1.1 404 Not Found\r\n\r\n').up, true);
  t.match(judge(url('/'), 'HTTP/1.1 200\r\n\r\n'), { up: false, reason: 'status', detail: /no HTTP status/ });
});

t.test('a bad status fails as soon as the header is in, without the body', async (t) => {
  const r = new HttpResponse(url('/', { digest: md5('x') }));
  t.match(r.feed(Buffer.from('HTTP/1.1 500 Oops\r\n\r\nxxxx')), { up: false, reason: 'status' });
});

t.test('digest over the body, cut anywhere, bounded by Content-Length', async (t) => {
  const body = 'The quick brown fox\njumps over the lazy dog\n'.repeat(50);
  for (const piece of [1, 3, 64, 5000]) {
    t.equal(judge(url('/', { digest: md5(body) }), ok(body), piece).up, true, `pieces of ${piece}`);
  }
  t.match(judge(url('/', { digest: md5(body) }), ok(body + '!')), { up: false, reason: 'digest' });
  t.equal(judge(url('/', { digest: md5('12345') }), ok('1234567890', 'Content-Length: 5\r\n')).up, true, 'bytes past Content-Length are not hashed');
});

t.test('no header at all, a header cut short, a header too long', async (t) => {
  t.match(judge(url('/'), ''), { up: false, reason: 'protocol', detail: 'no data received' });
  t.match(judge(url('/'), 'HTTP/1.1 200 OK\r\nX: y\r\n'), { up: false, reason: 'protocol', detail: /inside the HTTP header/ });
  const r = new HttpResponse(url('/'));
  let early = null;
  for (let i = 0; i < 10 && !early; i++) early = r.feed(Buffer.alloc(1000, 0x41));
  t.match(early, { up: false, reason: 'protocol', detail: new RegExp(`${MAX_HEADER}`) });
  t.match(judge(url('/'), Buffer.from('\x00\xff\x13garbage\r\n\r\n', 'latin1')), { up: false, reason: 'status' }, 'garbage is no status');
});

t.test('regex and regex_no_match, across piece boundaries', async (t) => {
  const body = 'x'.repeat(3000) + 'status: healthy' + 'y'.repeat(3000);
  for (const piece of [1, 5, 100, 4096, 100000]) {
    t.equal(judge(url('/', { regex: regex('status: (healthy|ok)') }), ok(body), piece).up, true, `match, pieces of ${piece}`);
    t.match(judge(url('/', { regex: regex('status: (healthy|ok)', { noMatch: true }) }), ok(body), piece), { up: false, reason: 'regex' });
  }
  t.match(judge(url('/', { regex: regex('unwell') }), ok(body)), { up: false, reason: 'regex', detail: /did not match/ });
  t.equal(judge(url('/', { regex: regex('unwell', { noMatch: true }) }), ok(body)).up, true);
  t.equal(judge(url('/', { regex: regex('HEALTHY', { options: ['caseless'] }) }), ok(body)).up, true, 'caseless is the i flag');
});

t.test('regex_min_offset and regex_max_offset bound where a match may start', async (t) => {
  const body = 'aaaa' + 'needle' + 'b'.repeat(10000) + 'needle';
  t.equal(judge(url('/', { regex: regex('needle', { maxOffset: 5 }) }), ok(body)).up, true, 'starts at 4 < 5');
  t.equal(judge(url('/', { regex: regex('needle', { maxOffset: 4 }) }), ok(body)).up, false, 'starts at 4, limit 4');
  t.equal(judge(url('/', { regex: regex('needle', { minOffset: 5 }) }), ok(body), 333).up, true, 'the second needle, far past the window');
  t.equal(judge(url('/', { regex: regex('needle', { minOffset: 5, maxOffset: 9000 }) }), ok(body)).up, false);
});

t.test('a pattern JavaScript cannot compile is a clear error', async (t) => {
  t.match(judge(url('/', { regex: regex('(?<!a+') }), ok('x')), { up: false, reason: 'error', detail: /not a valid JavaScript expression/ });
});

t.test('100 MB of body: bounded memory, the digest still streams', async (t) => {
  const chunk = Buffer.alloc(65536, 0x61);
  const h = createHash('md5');
  const r = new HttpResponse(url('/', { digest: null, regex: regex('never-there') }));
  r.feed(Buffer.from('HTTP/1.0 200 OK\r\n\r\n'));
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 1600; i++) { r.feed(chunk); h.update(chunk); }
  t.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'rss grew by less than 64 MiB');
  t.match(r.end(), { up: false, reason: 'regex' });
});
