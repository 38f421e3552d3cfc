/**
 * What the keyword tables and build.ts share while reading one configuration: the diagnostics being
 * collected, the host facts build was given, and a phrase naming the block being read (for messages).
 */
import { splitQuotedEscaped } from '../quoted.js';
import type { ConfigNode, Diagnostic, Loc } from '../tree.js';
import { DiagnosticList } from '../diagnostic-list.js';
import { DEFAULT_LIMITS } from '../options.js';

/** Host facts build may consult; each is optional so tests and `lvsd -t` elsewhere can omit them. */
export interface BuildEnv {
  interfaceExists?(name: string): boolean;
  /** Local host name, used for router_id and smtp defaults; without it those stay null ("host name"). */
  readonly hostname?: string;
}

/** Stable diagnostic codes. Errors make the configuration unusable; warnings are findings. */
export const CODES = {
  /** A value keepalived would reject: bad address, port or number out of range, unknown name. */
  value: 'LVSD_E_CONFIG_VALUE',
  /** A required keyword or argument is missing. */
  missing: 'LVSD_E_CONFIG_MISSING',
  /** Two objects with the same identity (instance name, VRID, service, real server). */
  duplicate: 'LVSD_E_CONFIG_DUPLICATE',
  /** A block where it cannot be (real_server outside a virtual_server). */
  placement: 'LVSD_E_CONFIG_PLACEMENT',
  /** A name that refers to nothing (track_script, virtual_server group, sync group member). */
  reference: 'LVSD_E_CONFIG_REFERENCE',
  unknownKeyword: 'LVSD_W_CONFIG_UNKNOWN_KEYWORD',
  /** A keepalived feature lvsd accepts but does not implement. */
  ignored: 'LVSD_W_CONFIG_IGNORED',
  deprecated: 'LVSD_W_CONFIG_DEPRECATED',
  /** keepalived would adjust the value and carry on (default scheduler, quorum capped, port reset…). */
  adjusted: 'LVSD_W_CONFIG_ADJUSTED',
  /** A fact about this host (an interface that does not exist here). */
  environment: 'LVSD_W_CONFIG_ENVIRONMENT',
  /** A script or regex line that keepalived's quoted/escaped split cannot read. */
  quoting: 'LVSD_W_CONFIG_QUOTING',
} as const;

export class Diagnostics {
  /**
   * Kept up to a bound like the parser's (diagnostic-list.ts): a ~SEQ of two million top-level real_server
   * lines made two million findings here, 1.9 GB (found by test/fuzz/config-reader.test.ts).
   */
  private readonly kept = new DiagnosticList(DEFAULT_LIMITS.maxDiagnostics);
  private readonly ignoredSeen = new Set<string>();
  /** `scope\0keyword` of values rejected, so a later "is required" does not repeat the complaint. */
  readonly rejected = new Set<string>();

  error(code: string, loc: Loc, message: string): void {
    this.kept.push({ severity: 'error', code, loc, message });
  }

  warning(code: string, loc: Loc, message: string): void {
    this.kept.push({ severity: 'warning', code, loc, message });
  }

  /** The kept findings, then one that counts the rest. */
  get list(): Diagnostic[] {
    return this.kept.finish();
  }

  /** One warning per ignored keyword per configuration, at its first occurrence. */
  ignoredOnce(keyword: string, loc: Loc, what: string): void {
    if (this.ignoredSeen.has(keyword)) return;
    this.ignoredSeen.add(keyword);
    this.warning(CODES.ignored, loc, `${keyword} is accepted but ignored: ${what}`);
  }
}

export class Ctx {
  constructor(
    readonly diag: Diagnostics,
    readonly env: BuildEnv,
    /** e.g. `vrrp_instance VI_1` or `real_server 10.0.0.2 80`; '' at the top level. */
    readonly scope: string,
  ) {}

  within(scope: string): Ctx {
    return new Ctx(this.diag, this.env, scope);
  }

  /** `scope: text` — the sentence an operator reads. */
  say(text: string): string {
    return this.scope ? `${this.scope}: ${text}` : text;
  }

  invalid(node: ConfigNode, problem: string): void {
    this.reject(node.keyword);
    this.diag.error(CODES.value, node.loc, this.say(`${node.keyword} ${problem}`));
  }

  /** Notes that a value of `keyword` was rejected here, so defaults for it are not reported as well. */
  reject(keyword: string): void {
    this.diag.rejected.add(`${this.scope}\0${keyword}`);
  }

  wasRejected(...keywords: string[]): boolean {
    return keywords.some((k) => this.diag.rejected.has(`${this.scope}\0${k}`));
  }

  /** Reports a missing keyword unless a value for it was already rejected in this scope. */
  missing(keyword: string, loc: Loc, text: string): void {
    if (!this.wasRejected(keyword)) this.error(CODES.missing, loc, text);
  }

  error(code: string, loc: Loc, text: string): void {
    this.diag.error(code, loc, this.say(text));
  }

  warn(code: string, loc: Loc, text: string): void {
    this.diag.warning(code, loc, this.say(text));
  }

  /**
   * The node with its arguments re-split by alloc_strvec_quoted_escaped rules (quoted.ts), when the
   * statement's text was kept and splits cleanly; otherwise the node as it is.
   */
  requoted(node: ConfigNode): ConfigNode {
    const text = node.text;
    if (text === undefined) return node;
    const split = splitQuotedEscaped(text);
    if ('error' in split) {
      this.warn(CODES.quoting, node.loc, `${node.keyword}: ${split.error} The words are used as the first split gave them.`);
      return node;
    }
    return { ...node, args: split.words.slice(1) };
  }

  /** Warns when the host is known not to have the interface (an environment fact, never an error). */
  checkInterface(name: string, loc: Loc, use: string): void {
    const exists = this.env.interfaceExists;
    if (exists && !exists(name)) this.warn(CODES.environment, loc, `interface ${name} (${use}) does not exist on this host`);
  }
}
