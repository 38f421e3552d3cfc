import { TableError, type TableErrno } from '../../model/errors.js';
import { NetlinkError } from '../errors.js';

/** The errnos a table operation can fail with, as the model names them (src/model/errors.ts). */
const TABLE_ERRNOS: Readonly<Record<TableErrno, true>> = {
  EEXIST: true, ESRCH: true, ENOENT: true, EINVAL: true, EPERM: true, ENOPROTOOPT: true, ENOMEM: true,
  EOPNOTSUPP: true, EAFNOSUPPORT: true, EMSGSIZE: true, EADDRINUSE: true, EADDRNOTAVAIL: true, EACCES: true, ERANGE: true,
  ELOOP: true,
};

function isTableErrno(name: string): name is TableErrno {
  return Object.hasOwn(TABLE_ERRNOS, name);
}

/**
 * A kernel refusal of a table operation becomes a TableError with the kernel's errno (EEXIST, ESRCH, …), which
 * lvsadm turns into ipvsadm's sentences. Transport failures (ENOBUFS, ETIMEDOUT, EBADF) stay NetlinkErrors:
 * they say nothing about the table.
 */
export function toTableError(e: unknown): unknown {
  if (e instanceof NetlinkError && isTableErrno(e.errno)) return new TableError(e.errno, e.message);
  return e;
}
