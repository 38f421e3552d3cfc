import { writeSync } from 'node:fs';

/**
 * A file descriptor written through one reused buffer, with write(2) whenever it fills: a 110,000-line
 * listing never exists as one string or one Buffer (fresh memory is what a large listing pays for most — a
 * page fault per 4 KiB, dearly under user-mode Linux), and nothing waits on the event loop. lvsadm writes its
 * output this way and never creates process.stdout, which would make a shared pipe non-blocking.
 */
export class FdWriter {
  private readonly buf: Buffer;
  private used = 0;

  constructor(private readonly fd: number, bufferBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafeSlow(bufferBytes);
  }

  /** Buffers `s` (UTF-8); what does not fit goes out first. Throws the write's error (EPIPE when the reader left). */
  write(s: string): void {
    const most = s.length * 3; // UTF-8 bytes per UTF-16 unit, at most
    if (this.used + most > this.buf.length) {
      this.flush();
      if (most > this.buf.length) {
        writeFully(this.fd, Buffer.from(s, 'utf8'));
        return;
      }
    }
    this.used += this.buf.write(s, this.used, 'utf8');
  }

  flush(): void {
    const used = this.used;
    this.used = 0;
    writeFully(this.fd, this.buf.subarray(0, used));
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

function writeFully(fd: number, bytes: Uint8Array): void {
  for (let off = 0; off < bytes.length;) {
    try {
      off += writeSync(fd, bytes, off, bytes.length - off);
    } catch (e) {
      // a descriptor someone else made non-blocking: wait for the reader, a millisecond at a time
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
