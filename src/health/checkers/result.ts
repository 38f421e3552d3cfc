/** Building the Prober port's results: one place for the shape every checker returns. */
import type { ProbeFailure, ProbeResult } from '../../ports/prober.js';

export const up = (detail: string): ProbeResult => ({ up: true, detail });

export const down = (reason: ProbeFailure, detail: string): ProbeResult => ({ up: false, reason, detail });
