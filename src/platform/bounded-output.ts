/** A script's stdout and stderr kept up to a bound; what goes beyond is counted, not kept, so memory stays flat. */
export class BoundedOutput {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private dropped = 0;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    const room = this.limit - this.kept;
    if (room > 0) {
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
      // A copy, so the kept part does not pin the stream's whole buffer.
      this.chunks.push(Buffer.from(part));
      this.kept += part.length;
    }
    this.dropped += Math.max(0, chunk.length - Math.max(0, room));
  }

  text(): string {
    const head = Buffer.concat(this.chunks).toString('utf8');
    return this.dropped ? `${head}\n[lvsd: ${this.dropped} more bytes of output not kept]` : head;
  }
}
