import type { Logger } from '../ports/logger.js';

export interface LogLine {
  readonly level: 'info' | 'warn' | 'error' | 'debug';
  readonly msg: string;
  readonly obj: object;
}

/** A Logger that keeps what it is told, so a test can assert what an operator would have read. */
export class MemoryLogger implements Logger {
  constructor(readonly lines: LogLine[] = []) {}
  info(obj: object, msg: string): void { this.lines.push({ level: 'info', msg, obj }); }
  warn(obj: object, msg: string): void { this.lines.push({ level: 'warn', msg, obj }); }
  error(obj: object, msg: string): void { this.lines.push({ level: 'error', msg, obj }); }
  debug(obj: object, msg: string): void { this.lines.push({ level: 'debug', msg, obj }); }
  child(): Logger { return new MemoryLogger(this.lines); }
}
