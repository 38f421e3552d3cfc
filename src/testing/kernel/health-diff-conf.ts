/**
 * The configuration and the failure script of the health differential (health-diff.ts): one keepalived.conf with
 * TCP_CHECK, HTTP_GET and MISC_CHECK real servers (one real server with two checkers, down while either is), a
 * second service with quorum so its VS lines take part too, and the phases the scenario steps the servers through.
 */

/** The real servers' namespace's address on the lab segment; the two directors are .1 and .2. */
export const RS_ADDR = '10.97.0.10';
export const VIP1 = '10.99.0.1';
export const VIP2 = '10.99.0.2';
export const TCP_PORT = 18001;
export const HTTP_PORT = 18002;
/** The MISC_CHECK's real server; nothing listens on it, the script decides. */
export const MISC_PORT = 18003;
/** The real server with both a TCP_CHECK (on TCP_PORT) and an HTTP_GET (on HTTP_PORT). */
export const BOTH_PORT = 18004;

export interface Phase {
  readonly name: string;
  readonly tcp: boolean;
  readonly http: number;
  readonly misc: boolean;
}

/**
 * Each change lands inside one phase, so both daemons must see it before the next one. No phase both takes a
 * service's last live server away and brings another back: which the daemon saw first would decide whether the
 * service's quorum dropped (a race, not a rule; seen as keepalived's VS DOWN/UP that lvsd skipped).
 */
export const PHASES: readonly Phase[] = [
  { name: 'all up', tcp: true, http: 200, misc: true },
  { name: 'TCP server stopped, HTTP 503', tcp: false, http: 503, misc: true },
  { name: 'script exits 1 (every server of the first service down)', tcp: false, http: 503, misc: false },
  { name: 'TCP server returns, HTTP 200, script exits 0', tcp: true, http: 200, misc: true },
  { name: 'TCP server stopped again', tcp: false, http: 200, misc: true },
];

/**
 * delay_loop 1 with retry 0: a refused connect, a 503 and an exit code 1 are decided at the next check (≤ 1 s), a
 * return too; phases of PHASE_MS leave a margin for the guest's slow process starts. The failures scripted here are
 * all immediate, so the timeouts are long (10 s): in a loaded guest 1, 3 and even 5 s bounds were seen to expire on a
 * healthy server (keepalived's MISC_CHECK flapped: exec of /usr/bin/test took that long), which is noise, not the
 * behaviour under test.
 */
export const PHASE_MS = 6000;

/** Explicit timing on every checker, so neither daemon's defaults (warmup, retry) decide the outcome. */
const TIMING = ['connect_timeout 10', 'retry 0', 'delay_before_retry 1', 'warmup 0'];

const block = (head: string, body: readonly string[], indent: string): string[] => [`${indent}${head} {`, ...body.map((l) => `${indent}  ${l}`), `${indent}}`];

const tcpCheck = (port?: number): string[] => block('TCP_CHECK', [...(port ? [`connect_port ${port}`] : []), ...TIMING], '');
const httpGet = (port?: number): string[] =>
  block('HTTP_GET', [...block('url', ['path /health', 'status_code 200'], ''), ...(port ? [`connect_port ${port}`] : []), ...TIMING], '');
const miscCheck = (flag: string): string[] => block('MISC_CHECK', [`misc_path "/usr/bin/test -e ${flag}"`, 'misc_timeout 10', 'warmup 0'], '');


/**
 * keepalived.conf for both daemons: real servers at `rsAddr`, `fifo` the lvs_notify_fifo, `miscFlag` the file the
 * MISC_CHECK tests.
 */
export function healthDiffConf(rsAddr: string, fifo: string, miscFlag: string): string {
  const realServer = (port: number, checkers: readonly string[]): string[] => block(`real_server ${rsAddr} ${port}`, ['weight 1', ...checkers], '  ');
  const service = (vip: string, extra: readonly string[], servers: readonly string[][]): string[] => [
    `virtual_server ${vip} 80 {`, '  delay_loop 1', '  lb_algo rr', '  lb_kind NAT', '  protocol TCP', ...extra.map((l) => `  ${l}`), ...servers.flat(), '}',
  ];
  return [
    'global_defs {', '  router_id lvsd-hdiff', `  lvs_notify_fifo ${fifo}`, '}',
    ...service(VIP1, [], [
      realServer(TCP_PORT, tcpCheck()),
      realServer(HTTP_PORT, httpGet()),
      realServer(MISC_PORT, miscCheck(miscFlag)),
      realServer(BOTH_PORT, [...tcpCheck(TCP_PORT), ...httpGet(HTTP_PORT)]),
    ]),
    ...service(VIP2, ['quorum 2', 'hysteresis 0'], [realServer(HTTP_PORT, httpGet()), realServer(MISC_PORT, miscCheck(miscFlag))]),
    '',
  ].join('\n');
}
