// The benchmark report builder on canned bench output: figures, skips and text parsed; Markdown with the
// ratio per figure; JSON that round-trips; one valid PNG per family (signature, IHDR, CRCs, pixels).
import t from 'tap';
import { inflateSync } from 'node:zlib';
import { charts, markdown, parseBenchOutput, ratio, type Report } from '../../../bench/report/build.js';
import { crc32, PNG_SIGNATURE } from '../../../bench/report/png.js';

const fig = (o: Record<string, unknown>) => `@figure ${JSON.stringify(o)}`;
const out = [
  'IPVS schedulers: ns per pick',
  fig({ family: 'proxy plane', name: 'keep-alive', unit: 'req/s', lvsd: 30000, anchor: 40000, anchorName: 'HAProxy', better: 'higher' }),
  fig({ family: 'proxy plane', name: 'conn per req', unit: 'req/s', lvsd: 9000, anchor: 6000, anchorName: 'nginx stream', better: 'higher' }),
  fig({ family: 'config load', name: '10000 real servers', unit: 's', lvsd: 0.5, anchor: 2, anchorName: 'keepalived -t', better: 'lower' }),
  '@figure {"family": 1}',
  '@skip wrk is not installed',
].join('\n');

const run = parseBenchOutput('canned', 1.5, 0, out);
const report: Report = { schema: 'lvsd-bench/1', node: 'v20', startedAt: '2026-12-03T00:00:00Z', runs: [run] };

t.test('parsing', async (t) => {
  t.equal(run.figures.length, 3);
  t.same(run.skipped, ['wrk is not installed']);
  t.match(run.text, /IPVS schedulers/);
  t.match(run.text, /\(unreadable figure\) @figure \{"family": 1\}/, 'a malformed figure is kept as text, not dropped');
  t.equal(ratio(run.figures[0]!), 0.75, 'higher is better: lvsd / anchor');
  t.equal(ratio(run.figures[2]!), 4, 'lower is better: anchor / lvsd');
});

t.test('markdown and json', async (t) => {
  const md = markdown(report);
  t.match(md, /## proxy plane\n\n!\[proxy plane\]\(chart-proxy-plane\.png\)/);
  t.match(md, /\| keep-alive \| req\/s \| 30000 \| HAProxy \| 40000 \| 0\.75 \|/);
  t.match(md, /\| 10000 real servers \| s \| 0\.500 \| keepalived -t \| 2\.00 \| 4\.00 \|/);
  t.match(md, /- skipped: wrk is not installed/);
  t.same(JSON.parse(JSON.stringify(report)), report);
});

t.test('one valid PNG per family', async (t) => {
  const pngs = charts(report);
  t.same([...pngs.keys()].sort(), ['chart-config-load.png', 'chart-proxy-plane.png']);
  const png = pngs.get('chart-proxy-plane.png')!;
  t.same(png.subarray(0, 8), PNG_SIGNATURE);
  t.equal(png.readUInt32BE(8), 13);
  t.equal(png.toString('latin1', 12, 16), 'IHDR');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  t.same([...png.subarray(24, 29)], [8, 2, 0, 0, 0], '8-bit RGB');
  t.equal(png.readUInt32BE(29), crc32(png.subarray(12, 29)), 'IHDR CRC');
  // Walk the chunks: each CRC holds, IDAT inflates to one filter byte + a row per line.
  let off = 8;
  const types: string[] = [];
  let idat = Buffer.alloc(0);
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.toString('latin1', off + 4, off + 8);
    t.equal(png.readUInt32BE(off + 8 + len), crc32(png.subarray(off + 4, off + 8 + len)), `${type} CRC`);
    if (type === 'IDAT') idat = Buffer.concat([idat, png.subarray(off + 8, off + 8 + len)]);
    types.push(type);
    off += 12 + len;
  }
  t.same(types, ['IHDR', 'IDAT', 'IEND']);
  const raw = inflateSync(idat);
  t.equal(raw.length, (width * 3 + 1) * height);
  // The first pair: lvsd (30000) is 3/4 the height of HAProxy (40000): count blue and grey pixels in their columns.
  const column = (x: number) => {
    let n = 0;
    for (let y = 0; y < height; y++) if (raw[y * (width * 3 + 1) + 1 + x * 3] !== 255) n++;
    return n;
  };
  t.equal(column(16 + 5), 150 + 1, 'lvsd bar (plus the axis line)');
  t.equal(column(16 + 24 + 5), 200 + 1, 'anchor bar (plus the axis line)');
});
