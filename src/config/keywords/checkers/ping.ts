/** PING_CHECK: only the common keywords (keepalived check/check_ping.c install_ping_check_keyword). */
import type { Table } from '../table.js';
import { COMMON_KEYWORDS, type CheckerBaseDraft } from './common.js';

export interface PingDraft extends CheckerBaseDraft {
  readonly type: 'PING_CHECK';
}

export const PING_KEYWORDS: Table<PingDraft> = COMMON_KEYWORDS;
