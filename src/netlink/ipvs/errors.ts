import { TableError, isTableErrno } from '../../model/errors.js';
import { NetlinkError } from '../errors.js';

/**
 * A kernel refusal of a table operation becomes a TableError with the kernel's errno (EEXIST, ESRCH, …), which
 * lvsadm turns into ipvsadm's sentences. Transport failures (ENOBUFS, ETIMEDOUT, EBADF) stay NetlinkErrors:
 * they say nothing about the table.
 */
export function toTableError(e: unknown): unknown {
  if (e instanceof NetlinkError && isTableErrno(e.errno)) return new TableError(e.errno, e.message);
  return e;
}
