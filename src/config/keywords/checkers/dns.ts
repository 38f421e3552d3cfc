/** DNS_CHECK: type and name plus the common keywords (keepalived check/check_dns.c). */
import type { DnsQueryType } from '../../../model/config.js';
import { keywordsFor, type Table } from '../table.js';
import { bad, ok, oneOf, type ValueParser } from '../values.js';
import { COMMON_KEYWORDS, type CheckerBaseDraft } from './common.js';

export interface DnsDraft extends CheckerBaseDraft {
  readonly type: 'DNS_CHECK';
  queryType?: DnsQueryType;
  name?: string;
}

const TYPES: Readonly<Record<string, DnsQueryType>> = { A: 'A', NS: 'NS', CNAME: 'CNAME', SOA: 'SOA', MX: 'MX', TXT: 'TXT', AAAA: 'AAAA' };

/** dns_name_handler: no empty labels ("a..b", ".a"); "." alone is the root. */
const dnsName: ValueParser<string> = (args) => {
  const s = args[0];
  if (s === undefined) return bad('needs a domain name');
  return (s.startsWith('.') && s !== '.') || s.includes('..') ? bad(`has an empty label in "${s}"`) : ok(s);
};

const k = keywordsFor<DnsDraft>();

export const DNS_KEYWORDS: Table<DnsDraft> = {
  ...COMMON_KEYWORDS,
  type: k.value('queryType', oneOf(TYPES, { ignoreCase: true })),
  name: k.once('name', dnsName),
};
