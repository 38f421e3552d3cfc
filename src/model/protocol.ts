export type Protocol = 'tcp' | 'udp' | 'sctp';

/** IANA protocol numbers, as the kernel orders services (6 < 17 < 132). */
export const IPPROTO: Readonly<Record<Protocol, number>> = { tcp: 6, udp: 17, sctp: 132 };

export function protocolFromNumber(n: number): Protocol | null {
  return n === 6 ? 'tcp' : n === 17 ? 'udp' : n === 132 ? 'sctp' : null;
}
