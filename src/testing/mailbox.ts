/**
 * A real mail server for alert tests: OpenSMTPD on a free loopback port whose mda writes each delivered message
 * to its own file (renamed to *.eml once whole), so a test reads the messages as delivered, not as sent.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../platform/free-port.js';
import { startSmtpd, type Peer } from './peers.js';

export interface Mailbox {
  readonly port: number;
  readonly smtpd: Peer;
  /** Every message delivered so far, whole, in no particular order. */
  messages(): string[];
}

/** `dir` must be the test's own scratch directory: it is opened to the mda, which runs as nobody. */
export async function startMailbox(dir: string): Promise<Mailbox> {
  // OpenSMTPD delivers nothing as root, so the mailbox directory is open to nobody.
  chmodSync(dir, 0o711);
  const box = path.join(dir, 'box');
  mkdirSync(box);
  chmodSync(box, 0o777);
  const port = await freePort('127.0.0.1');
  const smtpd = await startSmtpd(dir, [['127.0.0.1', port]],
    `action "deliver" mda "/bin/sh -c 'cat > ${box}/.$$ && mv ${box}/.$$ ${box}/$$.eml'" user nobody\nmatch from local for local action "deliver"\n`);
  return {
    port, smtpd,
    messages: () => readdirSync(box).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(path.join(box, f), 'utf8')),
  };
}
