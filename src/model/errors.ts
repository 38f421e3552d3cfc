/**
 * The errno-style outcomes a table operation can have. The names are the kernel's, so the ipvs plane
 * maps netlink errors one to one and lvsadm turns them into ipvsadm's messages (ipvs_strerror).
 */
export type TableErrno =
  | 'EEXIST' | 'ESRCH' | 'ENOENT' | 'EINVAL' | 'EPERM' | 'ENOPROTOOPT' | 'ENOMEM'
  | 'EOPNOTSUPP' | 'EAFNOSUPPORT' | 'EMSGSIZE' | 'EADDRINUSE' | 'EADDRNOTAVAIL' | 'EACCES' | 'ERANGE'
  // lvsd's own, never IPVS's: the proxy plane refuses a real server that is one of its own listeners (a
  // relay loop); ipvsadm has no message for it, so lvsadm prints lvsd's.
  | 'ELOOP';

const TABLE_ERRNOS: Readonly<Record<TableErrno, true>> = {
  EEXIST: true, ESRCH: true, ENOENT: true, EINVAL: true, EPERM: true, ENOPROTOOPT: true, ENOMEM: true,
  EOPNOTSUPP: true, EAFNOSUPPORT: true, EMSGSIZE: true, EADDRINUSE: true, EADDRNOTAVAIL: true, EACCES: true, ERANGE: true,
  ELOOP: true,
};

/** Whether an errno name (from netlink, or from the control socket's wire) is one a table operation can have. */
export function isTableErrno(name: string): name is TableErrno {
  return Object.hasOwn(TABLE_ERRNOS, name);
}

export class TableError extends Error {
  readonly code = 'LVSD_E_TABLE';
  constructor(readonly errno: TableErrno, detail?: string) {
    super(detail ?? errno);
    this.name = 'TableError';
  }
}

/** An lvsd error with a stable code, for operators and logs. */
export class LvsdError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'LvsdError';
  }
}
