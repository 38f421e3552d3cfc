import { parseArgs } from 'node:util';

export type DataPlaneName = 'proxy' | 'packet' | 'ipvs';

export interface DaemonOptions {
  readonly dataplane: DataPlaneName | undefined;
  /** keepalived.conf to run (-f); undefined = the table is managed with lvsadm only. */
  readonly configFile: string | undefined;
  readonly configTest: boolean;
  readonly dumpConfig: boolean;
  /** --plan: ask the running lvsd what a reload with -f FILE would change, and exit. */
  readonly plan: boolean;
  /** @ID conditional lines are kept for this id (-i); default the short host name. */
  readonly configId: string | undefined;
  readonly control: string | undefined;
  /** --metrics HOST:PORT; 'off' disables; undefined = the default address (DEFAULT_METRICS). */
  readonly metrics: string | undefined;
  readonly logLevel: string;
  readonly connCapacity: number | undefined;
  /** At --conn-capacity, evict an open idle connection for a new client instead of refusing the client. */
  readonly evictIdle: boolean;
  /** Seconds between read-backs of the table that repair drift (with -f). */
  readonly reconcileInterval: number;
  /** Empty the table when lvsd stops (keepalived's lvs_flush_on_stop); default: leave it to keep traffic flowing. */
  readonly flushOnStop: boolean;
  readonly help: boolean;
  readonly version: boolean;
}

export const USAGE = `Usage: lvsd [options]
  -f, --use-file FILE            keepalived.conf to run (SIGHUP reloads it)
  -t, --config-test              check the configuration file and exit (0 = usable)
  --dump-config                  print the configuration as lvsd understood it (JSON) and exit
  --plan                         with -f: print what a reload of the running lvsd with FILE would change
  -i, --config-id ID             keep @ID lines for this id (default: short host name)
  --dataplane proxy|packet|ipvs  data plane (default: ipvs with kernel IPVS as root, else proxy)
  --control PATH                 control socket (default /run/lvsd/lvsd.sock as root; env LVSD_SOCKET)
  --metrics HOST:PORT|off        /metrics, /status.json and the status page (default 127.0.0.1:9165)
  --conn-capacity N              connection-table entries for the userspace planes (default 1048576)
  --evict-idle                   at --conn-capacity, evict the open idle connection nearest expiry for a new
                                 client (default: refuse the new client; established flows are never cut)
  --flush-on-stop                empty the table on stop (default: leave it, traffic keeps flowing)
  --reconcile-interval S         seconds between read-backs that repair drift from the config (default 10)
  --log-level LEVEL              trace|debug|info|warn|error (default info)
  -h, --help                     this text
  -v, --version                  version
`;

/** mehdy/keepalived-exporter's default port, so a scrape config written for it finds lvsd. */
export const DEFAULT_METRICS = '127.0.0.1:9165';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** Parses lvsd's argv; throws an Error whose message is the one line an operator sees. */
export function parseDaemonArgs(argv: readonly string[]): DaemonOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      'use-file': { type: 'string', short: 'f' },
      'config-test': { type: 'boolean', short: 't' },
      'dump-config': { type: 'boolean' },
      plan: { type: 'boolean' },
      'config-id': { type: 'string', short: 'i' },
      dataplane: { type: 'string' },
      control: { type: 'string' },
      metrics: { type: 'string' },
      'conn-capacity': { type: 'string' },
      'reconcile-interval': { type: 'string' },
      'flush-on-stop': { type: 'boolean' },
      'evict-idle': { type: 'boolean' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  const dp = values.dataplane;
  if (dp !== undefined && dp !== 'proxy' && dp !== 'packet' && dp !== 'ipvs') {
    throw new Error(`--dataplane: unknown data plane '${dp}' (expected proxy, packet or ipvs)`);
  }
  const level = values['log-level'] ?? 'info';
  if (!LEVELS.includes(level)) throw new Error(`--log-level: unknown level '${level}' (expected ${LEVELS.join(', ')})`);
  if (values.metrics !== undefined && values.metrics !== 'off' && !/^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/.test(values.metrics)) {
    throw new Error(`--metrics: expected HOST:PORT or off, got '${values.metrics}'`);
  }
  let connCapacity: number | undefined;
  if (values['conn-capacity'] !== undefined) {
    connCapacity = Number(values['conn-capacity']);
    if (!Number.isInteger(connCapacity) || connCapacity < 16 || connCapacity > 1 << 27) {
      throw new Error(`--conn-capacity: expected an integer from 16 to ${1 << 27}, got '${values['conn-capacity']}'`);
    }
  }
  const reconcileInterval = Number(values['reconcile-interval'] ?? 10);
  if (!(reconcileInterval >= 0.1 && reconcileInterval <= 86400)) {
    throw new Error(`--reconcile-interval: expected seconds from 0.1 to 86400, got '${values['reconcile-interval']}'`);
  }
  const configFile = values['use-file'];
  if ((values['config-test'] || values['dump-config']) && configFile === undefined) {
    throw new Error(`${values['config-test'] ? '--config-test' : '--dump-config'} needs -f FILE`);
  }
  if (values.plan && configFile === undefined) throw new Error('--plan needs -f FILE');
  return {
    dataplane: dp,
    configFile,
    configTest: values['config-test'] === true,
    dumpConfig: values['dump-config'] === true,
    plan: values.plan === true,
    configId: values['config-id'],
    control: values.control,
    metrics: values.metrics,
    logLevel: level,
    connCapacity,
    evictIdle: values['evict-idle'] === true,
    reconcileInterval,
    flushOnStop: values['flush-on-stop'] === true,
    help: values.help === true,
    version: values.version === true,
  };
}
