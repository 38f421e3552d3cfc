/**
 * The part of popt 1.18's poptGetNextOpt() that ipvsadm exercises, so clustered flags, `--opt=value`,
 * `-tVALUE`, `-t=VALUE`, optional values and leftovers behave exactly as with ipvsadm:
 * - a token not starting with '-' (or a lone '-') is a leftover; after `--` everything is;
 * - `-abc` is a cluster of short options; a string option takes the rest of the cluster as its value;
 * - an optional value (-p) is taken from the next token only when it does not start with '-';
 * - poptBadOption() is the last argv token consumed.
 */
import { OPTION_TABLE, type OptionDef } from './options.js';

export type PoptError = 'missing argument' | 'unknown option' | 'option does not take an argument';

export type PoptEvent =
  | { readonly kind: 'opt'; readonly def: OptionDef; readonly value: string | null }
  | { readonly kind: 'end' }
  | { readonly kind: 'error'; readonly error: PoptError };

export class Popt {
  private next = 1;
  private cluster: string | null = null;
  private restLeftover = false;
  private readonly leftovers: string[] = [];
  private nextLeftover = 0;

  /** argv[0] is the program name, as popt skips it. */
  constructor(private readonly argv: readonly string[]) {}

  nextOpt(): PoptEvent {
    for (;;) {
      if (this.cluster === null && this.next >= this.argv.length) return { kind: 'end' };
      let def: OptionDef | undefined;
      let longArg: string | null = null;
      if (this.cluster === null) {
        const tok = this.argv[this.next++]!;
        if (this.restLeftover || !tok.startsWith('-') || tok === '-') { this.leftovers.push(tok); continue; }
        if (tok === '--') { this.restLeftover = true; continue; }
        if (tok.startsWith('--')) {
          const eq = tok.indexOf('=');
          const name = eq < 0 ? tok.slice(2) : tok.slice(2, eq);
          if (eq >= 0) longArg = tok.slice(eq + 1);
          def = OPTION_TABLE.find((o) => o.long === name);
          if (!def) return { kind: 'error', error: 'unknown option' };
        } else {
          this.cluster = tok.slice(1);
        }
      }
      if (this.cluster !== null) {
        const c = this.cluster;
        this.cluster = null;
        def = OPTION_TABLE.find((o) => o.short === c[0]);
        if (!def) return { kind: 'error', error: 'unknown option' };
        const rest = c.slice(1);
        if (rest !== '') this.cluster = rest[0] === '=' ? rest.slice(1) : rest;
      }
      return this.takeValue(def!, longArg);
    }
  }

  private takeValue(def: OptionDef, longArg: string | null): PoptEvent {
    if (def.arg === 'none') {
      if (longArg !== null || this.cluster?.startsWith('=')) return { kind: 'error', error: 'option does not take an argument' };
      return { kind: 'opt', def, value: null };
    }
    if (longArg !== null) return { kind: 'opt', def, value: longArg };
    if (this.cluster !== null) {
      const v = this.cluster.startsWith('=') ? this.cluster.slice(1) : this.cluster;
      this.cluster = null;
      return { kind: 'opt', def, value: v };
    }
    if (this.next >= this.argv.length) {
      return def.arg === 'optional' ? { kind: 'opt', def, value: null } : { kind: 'error', error: 'missing argument' };
    }
    if (def.arg === 'optional' && this.argv[this.next]!.startsWith('-')) return { kind: 'opt', def, value: null };
    return { kind: 'opt', def, value: this.argv[this.next++]! };
  }

  /** poptBadOption(): the argv token consumed last. */
  badOption(): string {
    return this.argv[this.next - 1] ?? '';
  }

  /** poptGetArg(): the next leftover, or null. */
  getArg(): string | null {
    return this.nextLeftover < this.leftovers.length ? this.leftovers[this.nextLeftover++]! : null;
  }
}
