import type { ServiceSpec, DestSpec } from '../model/service.js';

/** One service as the control plane wants it, with the real servers it should have right now. */
export interface DesiredService {
  readonly spec: ServiceSpec;
  readonly dests: readonly DestSpec[];
}

/** The whole table the control plane wants a data plane to hold. */
export interface DesiredTable {
  readonly services: readonly DesiredService[];
}
