/**
 * How lvsadm ends, as ipvsadm does: fail(2, …) for a bad argument, tryhelp_exit(argv[0], -1) (status 255)
 * for a missing or misplaced command, -1 (255) for a popt error or a failed table operation, 1 for a failed
 * listing; and ipvs_strerror()'s messages, which depend on the operation that failed.
 */
import type { TableOpName } from '../model/ops.js';
import type { TableErrno } from '../model/errors.js';

/**
 * Ends the current command: `stderr`/`stdout` are written, `status` is the exit status. `soft` marks popt
 * errors, which end one line of `-R` but not the restore (ipvsadm returns -1 there instead of exiting).
 */
export class CliExit extends Error {
  constructor(readonly status: number, readonly stderr: string, readonly stdout = '', readonly soft = false) {
    super(stderr || stdout);
    this.name = 'CliExit';
  }
}

/** ipvsadm's fail(): the message and a newline on stderr. */
export function fail(status: number, message: string): CliExit {
  return new CliExit(status, `${message}\n`);
}

/** ipvsadm's tryhelp_exit(program, -1). */
export function tryHelp(prog: string): CliExit {
  return new CliExit(255, `Try \`${prog} -h' or '${prog} --help' for more information.\n`);
}

/** Which libipvs function failed: ipvs_strerror() keys some messages on it. */
export type ErrorContext = TableOpName | 'get-service' | 'list';

const BY_CONTEXT: Partial<Record<ErrorContext, Partial<Record<TableErrno, string>>>> = {
  'add-service': { EEXIST: 'Service already exists', ENOENT: 'Scheduler or persistence engine not found' },
  'edit-service': { ESRCH: 'No such service', ENOENT: 'Scheduler or persistence engine not found' },
  'del-service': { ESRCH: 'No such service' },
  zero: { ESRCH: 'No such service' },
  'add-dest': { ESRCH: 'Service not defined', EEXIST: 'Destination already exists' },
  'edit-dest': { ESRCH: 'Service not defined', ENOENT: 'No such destination' },
  'del-dest': { ESRCH: 'Service not defined', ENOENT: 'No such destination' },
  'start-daemon': { EEXIST: 'Daemon has already run' },
  'stop-daemon': { ESRCH: 'No daemon is running' },
  'get-service': { ESRCH: 'No such service' },
  list: { ESRCH: 'No such service' },
};

const ANY_CONTEXT: Partial<Record<TableErrno, string>> = {
  EPERM: 'Permission denied (you must be root)',
  EINVAL: 'Invalid operation.  Possibly wrong module version, address not unicast, ...',
  ENOPROTOOPT: 'Protocol not available',
  ENOMEM: 'Memory allocation problem',
  EOPNOTSUPP: 'Operation not supported with IPv6',
  EAFNOSUPPORT: 'Operation not supported with specified address family',
  EMSGSIZE: 'Module is wrong version',
};

/** glibc strerror() text, ipvs_strerror()'s fallback; ELOOP is lvsd's own (model/errors.ts): its message is lvsd's. */
const STRERROR: Record<Exclude<TableErrno, 'ELOOP'>, string> = {
  EEXIST: 'File exists', ESRCH: 'No such process', ENOENT: 'No such file or directory',
  EINVAL: 'Invalid argument', EPERM: 'Operation not permitted', ENOPROTOOPT: 'Protocol not available',
  ENOMEM: 'Cannot allocate memory', EOPNOTSUPP: 'Operation not supported',
  EAFNOSUPPORT: 'Address family not supported by protocol', EMSGSIZE: 'Message too long',
  EADDRINUSE: 'Address already in use', EADDRNOTAVAIL: 'Cannot assign requested address',
  EACCES: 'Permission denied', ERANGE: 'Numerical result out of range',
};

const isTableErrno = (e: string): e is Exclude<TableErrno, 'ELOOP'> => Object.hasOwn(STRERROR, e);

/**
 * ipvs_strerror(errno) as ipvsadm prints it after `context` failed. An errno lvsadm does not know (a newer
 * daemon's) prints the daemon's own message.
 */
export function ipvsStrerror(context: ErrorContext, errno: string | undefined, fallback: string): string {
  if (errno === undefined || !isTableErrno(errno)) return fallback;
  return BY_CONTEXT[context]?.[errno] ?? ANY_CONTEXT[errno] ?? STRERROR[errno];
}
