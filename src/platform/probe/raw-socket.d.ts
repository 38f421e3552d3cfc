/** The part of the raw-socket package (a raw IP socket addon) that the PING_CHECK prober uses. */
declare module 'raw-socket' {
  import type { EventEmitter } from 'node:events';

  export interface RawSocket extends EventEmitter {
    send(buffer: Buffer, offset: number, length: number, address: string, after: (error: Error | null, bytes: number) => void): RawSocket;
    setOption(level: number, option: number, value: number | Buffer, length?: number): void;
    close(): RawSocket;
    on(event: 'message', listener: (buffer: Buffer, source: string) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    on(event: 'close', listener: () => void): this;
  }

  export function createSocket(options: { protocol: number; addressFamily?: number; bufferSize?: number }): RawSocket;
  export const AddressFamily: { readonly IPv4: number; readonly IPv6: number };
  export const Protocol: { readonly ICMP: number; readonly ICMPv6: number };
  export const SocketLevel: { readonly SOL_SOCKET: number };
  export const SocketOption: { readonly SO_BINDTODEVICE: number };

  const raw: {
    createSocket: typeof createSocket;
    AddressFamily: typeof AddressFamily;
    Protocol: typeof Protocol;
    SocketLevel: typeof SocketLevel;
    SocketOption: typeof SocketOption;
  };
  export default raw;
}
