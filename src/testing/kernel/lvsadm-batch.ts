import { KernelBackend } from '../../cli/kernel-backend.js';
import { runLvsadm } from '../../cli/run.js';

/**
 * Guest program: `node lvsadm-batch.js JSON` runs each argv of the JSON array as one `lvsadm --kernel`
 * invocation (runLvsadm with a fresh KernelBackend, so a fresh netlink socket, as a new process would
 * have) and prints the results as JSON. Why: node takes about half a second to start in user-mode Linux,
 * and replaying a table command by command as separate processes would cost the tier half a minute;
 * lvsadm.ts's own process wiring is still exercised by the listings, which run as real processes.
 */

interface BatchResult {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

async function main(): Promise<void> {
  const commands = JSON.parse(process.argv[2] ?? '[]') as string[][];
  const results: BatchResult[] = [];
  for (const args of commands) {
    let stdout = '';
    let stderr = '';
    const backend = new KernelBackend();
    try {
      const io = { stdin: '', out: (s: string) => { stdout += s; }, err: (s: string) => { stderr += s; }, prog: 'lvsadm' };
      results.push({ args, code: await runLvsadm(args, io, backend), stdout, stderr });
    } finally {
      await backend.close();
    }
  }
  process.stdout.write(JSON.stringify(results));
}

main().then(() => process.exit(0), (e: unknown) => {
  process.stderr.write(`lvsadm-batch: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
