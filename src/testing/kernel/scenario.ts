import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * The contract between the kernel tier's two halves. A scenario's run() executes inside the user-mode
 * Linux guest (runner.ts runs them all in one boot) and returns JSON-able data; its check() runs in the
 * host-side test (test/kernel/ipvs.test.ts) on that data. Guest and host share code and types, not memory.
 */

export interface ScenarioContext {
  /** This scenario's own directory in the results tree (`<name>/`); files written here reach the host. */
  readonly dir: string;
  /** Date.now() value the scenario must finish by; the runner abandons it afterwards. */
  readonly deadline: number;
  /** Registers cleanup (namespaces, processes); run newest first when the scenario ends or times out. */
  defer(cleanup: () => void): void;
  /** A line on the guest console, prefixed with the scenario name. */
  log(message: string): void;
}

/**
 * The assertions a host-side check uses: the subset of tap's Test it needs, so this module (which the
 * guest loads) does not depend on tap. A tap `t` satisfies it.
 */
export interface Asserts {
  ok(value: unknown, message: string): unknown;
  equal(found: unknown, wanted: unknown, message: string): unknown;
  same(found: unknown, wanted: unknown, message: string): unknown;
  match(found: unknown, pattern: unknown, message: string): unknown;
  fail(message: string): unknown;
  comment(...message: unknown[]): unknown;
}

/**
 * One kernel-tier scenario: run() executes inside the guest; check() runs on the host afterwards with what
 * run() returned (after a JSON round trip) and the files it wrote under its directory.
 */
export interface Scenario<T = unknown> {
  /** Also the result's file name: `<name>.json`. Lowercase words and dashes. */
  readonly name: string;
  /** Wall-time bound for run(), cleanup included; keep it a few times the usual. */
  readonly budgetMs: number;
  run(ctx: ScenarioContext): Promise<T>;
  check(t: Asserts, data: T, files: ReadonlyMap<string, string>): void;
}

export interface ScenarioResult<T = unknown> {
  name: string;
  ok: boolean;
  durationMs: number;
  /** Present when ok is false: the error message (and stack) the scenario threw. */
  error?: string;
  /** What run() returned. */
  data?: T;
  /** Paths (relative to the scenario's dir) of the files it wrote. */
  files: string[];
}

/** The results tree layout both halves agree on. */
export const resultFile = (name: string): string => `${name}.json`;

/**
 * Writes a file and flushes it to the host: hostfs keeps written pages in the guest's cache, and a guest
 * that is killed (timeout) loses whatever was not flushed.
 */
export function writeDurable(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
