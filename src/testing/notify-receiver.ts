/**
 * The systemd side of sd_notify for tests: a real AF_UNIX datagram socket (Node has none, so Debian's
 * python3 holds it) that prints each datagram it receives as one JSON line. '@name' binds an abstract
 * socket, as systemd does for services.
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const RECEIVER = `
import json, socket, sys
name = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind('\\0' + name[1:] if name.startswith('@') else name)
print(json.dumps('bound'), flush=True)
while True:
    print(json.dumps(s.recv(4096).decode('utf-8', 'replace')), flush=True)
`;

export interface NotifyReceiver {
  readonly messages: string[];
  /** Resolves with the first message (from `from` on) that pred accepts; throws after ms. */
  waitFor(pred: (m: string) => boolean, ms: number, from?: number): Promise<string>;
  stop(): void;
}

export async function startNotifyReceiver(name: string): Promise<NotifyReceiver> {
  const child = spawn('/usr/bin/python3', ['-c', RECEIVER, name], { stdio: ['ignore', 'pipe', 'pipe'] });
  const messages: string[] = [];
  let buf = '';
  let err = '';
  let bound = false;
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const m = JSON.parse(buf.slice(0, nl)) as string;
      buf = buf.slice(nl + 1);
      if (m === 'bound' && !bound) bound = true;
      else messages.push(m);
    }
  });
  const until = Date.now() + 5000;
  while (!bound) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`notify receiver did not bind ${name}: ${err}`);
    await sleep(20);
  }
  return {
    messages,
    waitFor: async (pred, ms, from = 0) => {
      const end = Date.now() + ms;
      for (;;) {
        const hit = messages.slice(from).find(pred);
        if (hit !== undefined) return hit;
        if (Date.now() > end) throw new Error(`no matching notification within ${ms} ms; got ${JSON.stringify(messages)}`);
        await sleep(20);
      }
    },
    stop: () => void child.kill('SIGKILL'),
  };
}
