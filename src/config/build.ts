/**
 * Stage 3 of reading keepalived.conf: the preprocessed ConfigNode tree → the normalized model.
 * The keyword tables (keywords/*.ts) read each block into a draft; resolve/*.ts then fill defaults,
 * apply keepalived's inheritance and cross-block rules, and report what keepalived would reject.
 * Errors mean the configuration must not be used; warnings are findings (unknown or ignored keywords,
 * values keepalived would adjust, interfaces this host does not have).
 */
import type { KeepalivedConfig, LvsSyncDaemon, SslContext } from '../model/config.js';
import { CODES, Ctx, Diagnostics, type BuildEnv } from './keywords/context.js';
import { newRootDraft, ROOT_KEYWORDS, type RootDraft } from './keywords/root.js';
import type { SslDraft } from './keywords/ssl.js';
import { applyBlock } from './keywords/table.js';
import type { ConfigNode, Diagnostic, Loc } from './tree.js';
import { resolveGlobal } from './resolve/global.js';
import { resolveVirtualServers } from './resolve/lvs.js';
import { resolveServerGroups } from './resolve/lvs-rules.js';
import { resolveScripts, resolveTrackFiles, resolveTrackProcesses } from './resolve/tracking.js';
import { resolveVrrp } from './resolve/vrrp.js';

export type { BuildEnv } from './keywords/context.js';

export interface BuildResult {
  readonly config: KeepalivedConfig;
  /** In source order within each phase; errors make `config` unusable. */
  readonly diagnostics: Diagnostic[];
}

const byName = <T extends { readonly name: string }>(items: readonly T[]) => new Map(items.map((i) => [i.name, i]));

const ssl = (d: SslDraft | undefined): SslContext | null =>
  d ? { password: d.password ?? null, ca: d.ca ?? null, certificate: d.certificate ?? null, key: d.key ?? null } : null;

type Located = { readonly value: LvsSyncDaemon; readonly loc: Loc };

/** lvs_sync_daemon from global_defs, else from a vrrp_instance's deprecated lvs_sync_daemon_interface. */
function syncDaemon(global: Located | undefined, legacy: Located | null, instances: ReadonlySet<string>, ctx: Ctx): LvsSyncDaemon | null {
  if (global && legacy) ctx.warn(CODES.adjusted, legacy.loc, 'lvs_sync_daemon_interface is ignored because global_defs sets lvs_sync_daemon');
  const d = global ?? legacy;
  if (!d) return null;
  ctx.checkInterface(d.value.interface, d.loc, 'lvs_sync_daemon');
  if (d.value.instance !== null && !instances.has(d.value.instance)) {
    ctx.error(CODES.reference, d.loc, `lvs_sync_daemon names vrrp_instance ${d.value.instance}, which is not defined`);
  }
  return d.value;
}

/**
 * Builds the model from top-level statements handed over one at a time (ParseOptions.sink), so only the
 * drafts are held, never the whole tree; finish() resolves them once every statement has been added.
 */
export class ConfigBuilder {
  private readonly diag = new Diagnostics();
  private readonly ctx: Ctx;
  private readonly root = newRootDraft();

  constructor(private readonly env: BuildEnv = {}) {
    this.ctx = new Ctx(this.diag, env, '');
  }

  add(node: ConfigNode): void {
    applyBlock(ROOT_KEYWORDS, [node], this.root, this.ctx);
  }

  finish(): BuildResult {
    return resolveAll(this.root, this.env, this.ctx, this.diag);
  }
}

export function buildConfig(nodes: readonly ConfigNode[], env: BuildEnv = {}): BuildResult {
  const builder = new ConfigBuilder(env);
  for (const node of nodes) builder.add(node);
  return builder.finish();
}

function resolveAll(root: RootDraft, env: BuildEnv, ctx: Ctx, diag: Diagnostics): BuildResult {

  const vrrpScripts = resolveScripts(root.scripts, ctx);
  const trackFiles = resolveTrackFiles(root.trackFiles, ctx);
  const trackProcesses = resolveTrackProcesses(root.trackProcesses, ctx);
  const declared = new Set([...root.scripts, ...root.trackFiles, ...root.trackProcesses].map((o) => o.name));
  const tracked = { scripts: byName(vrrpScripts), files: byName(trackFiles), processes: byName(trackProcesses), declared };

  const baseGlobal = resolveGlobal(root.global, env, null);
  const vrrp = resolveVrrp(root.instances, root.syncGroups, baseGlobal, tracked, ctx);
  const instanceNames = new Set(vrrp.instances.map((i) => i.name));
  const global = { ...baseGlobal, lvsSyncDaemon: syncDaemon(root.global.lvsSyncDaemon, vrrp.syncDaemon, instanceNames, ctx) };

  const virtualServerGroups = resolveServerGroups(root.groups, ctx);
  const groups = { usable: byName(virtualServerGroups), declared: new Set(root.groups.map((g) => g.name)) };
  const virtualServers = resolveVirtualServers(root.virtualServers, groups, global, tracked, ctx);

  return {
    config: {
      global, vrrpScripts, trackFiles, trackProcesses,
      vrrpInstances: vrrp.instances, vrrpSyncGroups: vrrp.syncGroups,
      virtualServerGroups, virtualServers, ssl: ssl(root.ssl),
    },
    diagnostics: diag.list,
  };
}
