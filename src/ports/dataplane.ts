import type { TablePort } from './table.js';

/** A data plane (ipvs, packet, proxy): the table that forwards lvsd's traffic, named for logs and status. */
export interface DataPlane extends TablePort {
  readonly name: 'ipvs' | 'packet' | 'proxy';
}
