import t from 'tap';
import { TournamentTree } from '../../../../src/dataplane/sched/tournament.js';
import { seeded } from './fixtures/sched.js';

interface Leaf {
  eligible: boolean;
  num: number;
  den: number;
}

const better = (a: Leaf, b: Leaf): boolean => a.num * b.den < b.num * a.den;

function naiveBest(leaves: Leaf[]): number {
  let best = -1;
  leaves.forEach((l, i) => {
    if (l.eligible && (best < 0 || better(l, leaves[best]))) best = i;
  });
  return best;
}

function naiveFirst(leaves: Leaf[], from: number, bnum: number, bden: number): number {
  for (let i = from; i < leaves.length; i++) {
    if (leaves[i].eligible && leaves[i].num * bden <= bnum * leaves[i].den) return i;
  }
  return -1;
}

t.test('best and firstAtOrAfter agree with linear scans under random updates', async (t) => {
  const rng = seeded(7);
  let mismatches = 0;
  for (const n of [1, 2, 3, 5, 8, 13, 100]) {
    const tree = new TournamentTree();
    const leaves: Leaf[] = Array.from({ length: n }, () => ({ eligible: rng() % 4 !== 0, num: rng() % 5, den: 1 + (rng() % 3) }));
    tree.reset(n);
    leaves.forEach((l, i) => tree.load(i, l.eligible, l.num, l.den));
    tree.build();
    for (let step = 0; step < 500; step++) {
      const i = rng() % n;
      leaves[i] = { eligible: rng() % 4 !== 0, num: rng() % 5, den: 1 + (rng() % 3) };
      tree.set(i, leaves[i].eligible, leaves[i].num, leaves[i].den);
      if (tree.best() !== naiveBest(leaves)) mismatches++;
      const from = rng() % (n + 1);
      const [bn, bd] = [rng() % 5, 1 + (rng() % 3)];
      if (tree.firstAtOrAfter(from, bn, bd) !== naiveFirst(leaves, from, bn, bd)) mismatches++;
    }
  }
  t.equal(mismatches, 0);
});

t.test('an empty tree has no winner', async (t) => {
  const tree = new TournamentTree();
  tree.reset(0);
  tree.build();
  t.equal(tree.best(), -1);
  t.equal(tree.firstAtOrAfter(0, 1, 1), -1);
});

t.test('equal ranks at large quotients are settled by cross-multiplication: the earlier wins', async (t) => {
  const tree = new TournamentTree();
  tree.reset(2);
  tree.load(0, true, 65535 * 2 ** 20, 65535); // 2^20, above 2^51 / 65535²
  tree.load(1, true, 2 ** 20, 1);
  tree.build();
  t.equal(tree.best(), 0);
  tree.set(0, true, 65535 * 2 ** 20 + 1, 65535);
  t.equal(tree.best(), 1, 'one more connection on the left makes the right strictly better');
  tree.set(1, false, 0, 1);
  t.equal(tree.best(), 0);
});
