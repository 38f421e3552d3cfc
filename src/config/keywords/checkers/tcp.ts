/** TCP_CHECK: only the common keywords (keepalived check/check_tcp.c install_tcp_check_keyword). */
import type { Table } from '../table.js';
import { COMMON_KEYWORDS, type CheckerBaseDraft } from './common.js';

export interface TcpDraft extends CheckerBaseDraft {
  readonly type: 'TCP_CHECK';
}

export const TCP_KEYWORDS: Table<TcpDraft> = COMMON_KEYWORDS;
