/**
 * global_defs draft → GlobalDefs with keepalived's defaults (core/global_data.c alloc_global_data,
 * set_vrrp_defaults, init_global_data; vrrp/vrrp.c vrrp_complete_init for the lower-priority GARP defaults).
 */
import type { GlobalDefs, LvsSyncDaemon, VrrpGlobals } from '../../model/config.js';
import type { BuildEnv } from '../keywords/context.js';
import type { GlobalDraft } from '../keywords/global.js';

/** VRRP_GARP_DELAY, VRRP_GARP_REP, VRRP_GARP_REFRESH, VRRP_GARP_REFRESH_REP, VRRP_DOWN_TIMER_ADVERTS (vrrp.h). */
export const VRRP_DEFAULTS = { garpDelay: 5, garpRepeat: 5, garpRefresh: 0, garpRefreshRepeat: 1, downTimerAdverts: 3 } as const;
/** DEFAULT_SMTP_CONNECTION_TIMEOUT (global_data.h). */
const SMTP_TIMEOUT = 30;

function vrrpGlobals(d: GlobalDraft): VrrpGlobals {
  // vrrp_min_garp: one GARP, no repeats, no refresh — for whatever was not set explicitly.
  const min = d.minGarp === true;
  const garpMasterDelay = d.garpMasterDelay ?? (min ? 0 : VRRP_DEFAULTS.garpDelay);
  const garpMasterRepeat = d.garpMasterRepeat ?? (min ? 1 : VRRP_DEFAULTS.garpRepeat);
  return {
    version: d.vrrpVersion ?? 2,
    mcastGroup4: d.mcastGroup4 ?? { af: 4, text: '224.0.0.18' },
    mcastGroup6: d.mcastGroup6 ?? { af: 6, text: 'ff02::12' },
    garpMasterDelay,
    garpMasterRepeat,
    garpMasterRefresh: d.garpMasterRefresh ?? VRRP_DEFAULTS.garpRefresh,
    garpMasterRefreshRepeat: d.garpMasterRefreshRepeat ?? (min ? 0 : VRRP_DEFAULTS.garpRefreshRepeat),
    garpLowerPrioDelay: d.garpLowerPrioDelay ?? garpMasterDelay,
    garpLowerPrioRepeat: d.garpLowerPrioRepeat ?? garpMasterRepeat,
    garpInterval: d.garpInterval ?? 0,
    gnaInterval: d.gnaInterval ?? 0,
    downTimerAdverts: d.downTimerAdverts ?? VRRP_DEFAULTS.downTimerAdverts,
    lowerPrioNoAdvert: d.lowerPrioNoAdvert ?? false,
    higherPrioSendAdvert: d.higherPrioSendAdvert ?? false,
    strict: d.strict ?? false,
    checkUnicastSrc: d.checkUnicastSrc ?? false,
    skipCheckAdvAddr: d.skipCheckAdvAddr ?? false,
    notifyPriorityChanges: d.notifyPriorityChanges ?? false,
    startupDelay: d.startupDelay ?? 0,
  };
}

/** `syncDaemon` is the global lvs_sync_daemon, or the one a vrrp_instance's deprecated keyword gave. */
export function resolveGlobal(d: GlobalDraft, env: BuildEnv, syncDaemon: LvsSyncDaemon | null): GlobalDefs {
  const host = env.hostname ?? null;
  return {
    routerId: d.routerId ?? host,
    notificationEmail: d.notificationEmail,
    notificationEmailFrom: d.notificationEmailFrom ?? (host ? `keepalived@${host}` : null),
    smtpServer: d.smtpServer ?? null,
    smtpHeloName: d.smtpHeloName ?? host,
    smtpConnectTimeout: d.smtpConnectTimeout ?? SMTP_TIMEOUT,
    smtpAlert: d.smtpAlert ?? null,
    smtpAlertVrrp: d.smtpAlertVrrp ?? null,
    smtpAlertChecker: d.smtpAlertChecker ?? null,
    noEmailFaults: d.noEmailFaults ?? false,
    checkerLogAllFailures: d.checkerLogAllFailures ?? false,
    noCheckerEmails: d.noCheckerEmails ?? false,
    rsInitNotifies: d.rsInitNotifies ?? false,
    defaultInterface: d.defaultInterface ?? 'eth0',
    dynamicInterfaces: d.dynamicInterfaces ?? false,
    vrrp: vrrpGlobals(d),
    lvsSyncDaemon: syncDaemon,
    lvsTimeouts: d.lvsTimeouts ?? { tcp: null, tcpFin: null, udp: null },
    lvsFlush: d.lvsFlush ?? false,
    lvsFlushOnStop: d.lvsFlushOnStop ?? 'none',
    scriptUser: d.scriptUser ?? null,
    enableScriptSecurity: d.enableScriptSecurity ?? false,
    notifyFifo: d.notifyFifo ?? null,
    vrrpNotifyFifo: d.vrrpNotifyFifo ?? null,
    lvsNotifyFifo: d.lvsNotifyFifo ?? null,
    fifoWriteVrrpStatesOnReload: d.fifoWriteVrrpStatesOnReload ?? false,
    startupScript: d.startupScript ?? null,
    startupScriptTimeout: d.startupScriptTimeout ?? 10,
    shutdownScript: d.shutdownScript ?? null,
    shutdownScriptTimeout: d.shutdownScriptTimeout ?? 10,
  };
}
