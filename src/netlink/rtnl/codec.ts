import type { ByteWriter } from '../bytes.js';
import type { NlMessage } from '../framing.js';
import { decodeAttrs, encodeAttrs, type Attrs } from '../schema.js';
import { readHeader, writeHeader, type HeaderValues } from './header.js';
import { KINDS, type Kind } from './spec.js';

/** An rtnetlink message of one kind, decoded: its fixed header and its attributes (unknown ones kept). */
export interface RtnlMessage<K extends Kind> {
  readonly header: HeaderValues<(typeof KINDS)[K]['header']>;
  readonly attrs: Attrs<(typeof KINDS)[K]['attrs']>;
}

/** A message to send: header fields left out are 0. */
export interface RtnlRequest<K extends Kind> {
  readonly header: Partial<RtnlMessage<K>['header']>;
  readonly attrs: RtnlMessage<K>['attrs'];
}

/** A payload writer for the engine: header then attributes in id order. */
export function rtnlPayload<K extends Kind>(kind: K, header: Partial<RtnlMessage<K>['header']>, attrs: RtnlMessage<K>['attrs']): (w: ByteWriter) => void {
  const k = KINDS[kind];
  return (w) => {
    writeHeader(w, k.header, header, k.name);
    encodeAttrs(w, k.attrs, attrs);
  };
}

/** Decodes a message of `kind`; `what` names the request or event in errors. */
export function decodeRtnl<K extends Kind>(kind: K, m: NlMessage, what: string): RtnlMessage<K> {
  const k = KINDS[kind];
  const { header, rest } = readHeader(k.header, m.payload, `${what}: ${k.name}`);
  return { header, attrs: decodeAttrs(k.attrs, rest, `${what}: ${k.name}`) } as RtnlMessage<K>;
}
