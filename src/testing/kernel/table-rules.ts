import { IpvsClient } from '../../netlink/ipvs/client.js';
import { KernelIpvs } from '../../planes/ipvs/kernel.js';
import { TABLE_PROBES, answerOf, memoryAnswers, type ProbeAnswer } from '../table-probes.js';
import { scenarioLab } from './lab.js';
import type { Asserts, Scenario } from './scenario.js';

/**
 * The differential test of the table rules: every probe of table-probes.ts goes to kernel IPVS over lvsd's
 * own netlink client, in a fresh namespace, one at a time; the host then sends the same probes to the
 * in-memory table (the one the fakes of kernel IPVS keep, with the rules every in-memory table shares) and
 * expects the kernel's errno for each, and the errno the probe list records.
 */

export interface TableRulesData {
  /** The kernel's answers to the probes sent one at a time. */
  readonly kernel: readonly ProbeAnswer[];
  /** Its answers to the probes sent as one batch through KernelIpvs (TablePort.apply: many in flight). */
  readonly batch: readonly ProbeAnswer[];
}

function checkRules(t: Asserts, d: TableRulesData): void {
  t.equal(d.kernel.length, TABLE_PROBES.length, `the kernel answered all ${TABLE_PROBES.length} probes`);
  const memory = memoryAnswers();
  TABLE_PROBES.forEach((p, i) => {
    const k = d.kernel[i] ?? null;
    t.equal(memory[i], k, `${i}. ${p.label}: the in-memory table answers as the kernel (${k ?? 'ok'})`);
    t.equal(k, p.kernel, `${i}. ${p.label}: the kernel answers as the probe list records`);
  });
  t.same(d.batch, d.kernel, 'in one pipelined batch through the table port, every probe gets the answer it gets alone');
}

export const tableRulesScenario: Scenario<TableRulesData> = {
  name: 'table-rules',
  budgetMs: 30_000,
  async run(ctx): Promise<TableRulesData> {
    const lab = scenarioLab(ctx, 'rules');
    const ns = lab.host('rules');
    const client = await IpvsClient.open({ netns: `/run/netns/${ns}` });
    ctx.defer(() => client.close());
    const kernel: ProbeAnswer[] = [];
    for (const p of TABLE_PROBES) {
      try {
        await client.apply(p.op);
        kernel.push(null);
      } catch (e) {
        kernel.push(answerOf(e));
      }
    }
    const port = await KernelIpvs.open(`/run/netns/${lab.host('batch')}`);
    ctx.defer(() => void port.close());
    const batch = (await port.apply(TABLE_PROBES.map((p) => p.op))).map((r) => (r ? r.errno : null));
    return { kernel, batch };
  },
  check: checkRules,
};
