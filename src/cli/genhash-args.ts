/**
 * lvsd-genhash's command line: keepalived genhash's (check/check_genhash.c check_genhash_parse_cmdline,
 * getopt_long with ":hvSs:V:p:u:m:P:t:I"), its checks and its messages, word for word.
 */
import { parseIp, type IpAddr } from '../model/address.js';
import type { HttpCheck } from '../model/config-checkers.js';

export interface GenhashOptions {
  readonly server: IpAddr;
  readonly port: number;
  readonly url: string;
  readonly ssl: boolean;
  readonly sni: boolean;
  readonly virtualhost: string | null;
  readonly verbose: boolean;
  readonly protocol: HttpCheck['httpProtocol'];
  /** Seconds; null = none (keepalived's UINT_MAX). */
  readonly timeout: number | null;
}

export const GENHASH_USAGE = `Usage: genhash COMMAND [OPTIONS]
Commands:
   -s server-address -p port -u url
   -S -s server-address -p port -u url
   -h

Options:
Either long or short options are allowed.
   --use-ssl         -S       Use SSL connection to remote server.
   --use-sni         -I       Use SNI during SSL handshake (uses virtualhost setting; see -V).
   --server          -s       Use the specified remote server address.
   --port            -p       Use the specified remote server port.
   --url             -u       Use the specified remote server url.
   --use-virtualhost -V       Use the specified virtualhost in GET query.
   --verbose         -v       Use verbose mode output.
   --help            -h       Display this short inlined help screen.
   --fwmark          -m       Use the specified FW mark.
   --protocol        -P       Use the specified HTTP protocol - '1.0', 1.0c', '1.1'.
                                1.0c means 1.0 with 'Connection: close'
   --timeout         -t       Timeout in seconds
`;

const LONG: Readonly<Record<string, string>> = {
  help: 'h', verbose: 'v', 'use-ssl': 'S', 'use-sni': 'I', server: 's', 'use-virtualhost': 'V', port: 'p', url: 'u', fwmark: 'm', protocol: 'P', timeout: 't',
};
const WITH_ARG = new Set(['s', 'V', 'p', 'u', 'm', 'P', 't']);
const NO_ARG = new Set(['h', 'v', 'S', 'I']);

/** One option as getopt_long hands it over, or a message for what it could not take. */
type Token = { readonly opt: string; readonly arg: string | null } | { readonly error: string };

/** getopt_long's reading of argv: clustered short options, -pARG, --long=ARG and --long ARG. */
function tokens(argv: readonly string[]): { list: Token[]; rest: string[] } {
  const list: Token[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') { rest.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const [name = '', inline] = a.slice(2).split(/=(.*)/s, 2);
      const opt = LONG[name];
      if (!opt) { list.push({ error: `Unknown option ${a}` }); continue; }
      if (!WITH_ARG.has(opt)) { list.push({ opt, arg: null }); continue; }
      const arg = inline ?? argv[++i];
      list.push(arg === undefined ? { error: `Missing parameter for option --${name}` } : { opt, arg });
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j] ?? '';
        if (NO_ARG.has(c)) { list.push({ opt: c, arg: null }); continue; }
        if (!WITH_ARG.has(c)) { list.push({ error: `Unknown option -${c}` }); continue; }
        const arg = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        list.push(arg === undefined ? { error: `Missing parameter for option -${c}` } : { opt: c, arg });
        break;
      }
    } else rest.push(a);
  }
  return { list, rest };
}

/** strtoul's reading as keepalived checks it: optional leading blanks, digits only, no sign. */
function unsigned(s: string): number | null {
  const t = s.replace(/^[ \t]+/, '');
  return /^\d+$/.test(t) ? Number(t) : null;
}

/** The options, or the messages to print before the usage (exit status 1). */
export function parseGenhashArgs(argv: readonly string[]): GenhashOptions | { readonly errors: string[] } {
  // "Trivial sanity check": fewer than two arguments is the usage.
  if (argv.length < 2) return { errors: [] };
  const { list, rest } = tokens(argv);
  const errors: string[] = [];
  let bad = false;
  let server: IpAddr | null = null;
  let port: number | null = null;
  let url: string | null = null;
  let ssl = false, sni = false, verbose = false;
  let virtualhost: string | null = null;
  let protocol: HttpCheck['httpProtocol'] = '1.0';
  let timeout: number | null = null;
  for (const tk of list) {
    if ('error' in tk) { errors.push(tk.error); bad = true; continue; }
    const arg = tk.arg ?? '';
    switch (tk.opt) {
      case 'h': bad = true; break;
      case 'v': verbose = true; break;
      case 'S': ssl = true; break;
      case 'I': sni = true; break;
      case 'V': virtualhost = arg; break;
      case 'u': url = arg; break;
      case 's':
        server = parseIp(arg);
        if (!server) return { errors: [...errors, `server should be an IP, not ${arg}`] };
        break;
      case 'p': {
        const n = /^[+-]?\d+$/.test(arg) ? Number(arg) : NaN;
        if (!(n > 0 && n <= 65535)) return { errors: [...errors, `invalid port number '${arg}'`] };
        port = n;
        break;
      }
      case 'm':
        // SO_MARK has no Node API; keepalived built without it answers the same way.
        return { errors: [...errors, 'lvsd-genhash cannot set a fwmark (SO_MARK)'] };
      case 'P':
        if (arg === '1.0') protocol = '1.0';
        else if (arg === '1.0c' || arg === '1.0C') protocol = '1.0C';
        else if (arg === '1.1') protocol = '1.1';
        else return { errors: [...errors, `invalid HTTP protocol version '${arg}'`] };
        break;
      case 't': {
        const n = unsigned(arg);
        if (n === null) return { errors: [...errors, `invalid timeout '${arg}'`] };
        timeout = n;
        break;
      }
    }
  }
  if (bad) return { errors };
  if (rest.length) return { errors: [...errors, `Unexpected argument(s): ${rest.join(' ')}`] };
  if (!server || port === null || url === null) return { errors };
  return { server, port, url, ssl, sni, virtualhost, verbose, protocol, timeout };
}
