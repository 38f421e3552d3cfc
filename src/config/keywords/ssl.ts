/** The top-level SSL { } block for SSL_GET (keepalived check/check_parser.c ssl_handler and friends). */
import type { SslContext } from '../../model/config.js';
import { keywordsFor, type Table } from './table.js';
import { word } from './values.js';

export type SslDraft = { -readonly [K in keyof SslContext]?: string };

const k = keywordsFor<SslDraft>();

export const SSL_KEYWORDS: Table<SslDraft> = {
  password: k.value('password', word),
  ca: k.value('ca', word),
  certificate: k.value('certificate', word),
  key: k.value('key', word),
};
