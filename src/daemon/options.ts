import { parseArgs } from 'node:util';

export type DataPlaneName = 'proxy' | 'packet' | 'ipvs';

export interface DaemonOptions {
  readonly dataplane: DataPlaneName | undefined;
  readonly control: string | undefined;
  readonly metrics: string | undefined;
  readonly logLevel: string;
  readonly connCapacity: number | undefined;
  readonly help: boolean;
  readonly version: boolean;
}

export const USAGE = `Usage: lvsd [options]
  --dataplane proxy|packet|ipvs  data plane (default: ipvs with kernel IPVS as root, else proxy)
  --control PATH                 control socket (default /run/lvsd/lvsd.sock as root; env LVSD_SOCKET)
  --metrics HOST:PORT            metrics endpoint (reserved)
  --conn-capacity N              connection-table entries for the userspace planes (default 1048576)
  --log-level LEVEL              trace|debug|info|warn|error (default info)
  -h, --help                     this text
  -v, --version                  version
`;

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** Parses lvsd's argv; throws an Error whose message is the one line an operator sees. */
export function parseDaemonArgs(argv: readonly string[]): DaemonOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      dataplane: { type: 'string' },
      control: { type: 'string' },
      metrics: { type: 'string' },
      'conn-capacity': { type: 'string' },
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
  if (values.metrics !== undefined && !/^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/.test(values.metrics)) {
    throw new Error(`--metrics: expected HOST:PORT, got '${values.metrics}'`);
  }
  let connCapacity: number | undefined;
  if (values['conn-capacity'] !== undefined) {
    connCapacity = Number(values['conn-capacity']);
    if (!Number.isInteger(connCapacity) || connCapacity < 16 || connCapacity > 1 << 27) {
      throw new Error(`--conn-capacity: expected an integer from 16 to ${1 << 27}, got '${values['conn-capacity']}'`);
    }
  }
  return {
    dataplane: dp,
    control: values.control,
    metrics: values.metrics,
    logLevel: level,
    connCapacity,
    help: values.help === true,
    version: values.version === true,
  };
}
