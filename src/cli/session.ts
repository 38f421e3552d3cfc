/** What one lvsadm run works with: its streams, its program name and the table's backend. */
import type { TablePort } from '../ports/table.js';
import type { Command } from './command.js';

export interface CliIo {
  /** Standard input, read by -R only: the whole text, or a reader called when it is needed. */
  readonly stdin: string | (() => Promise<string>);
  out(s: string): void;
  err(s: string): void;
  /** The name messages use (ipvsadm prints argv[0]); 'lvsadm' if not given. */
  readonly prog?: string;
}

export interface Session {
  readonly io: CliIo;
  readonly backend: TablePort;
  readonly prog: string;
}

/** Runs one parsed command; `readingStdin` is set inside -R, where a nested -R is refused. */
export type Execute = (cmd: Command, s: Session, readingStdin: boolean) => Promise<number>;
