// A job's print/io.write output goes to its BullMQ log, a line per entry (a partial line waits for
// its end or for the job's end). Log writes are chained so entries keep their order.
export class OutputLog {
  private pending: Buffer = Buffer.alloc(0);
  private chain: Promise<unknown> = Promise.resolve();
  private sink: ((line: string) => Promise<unknown>) | null = null;

  start(sink: (line: string) => Promise<unknown>): void {
    this.sink = sink;
    this.pending = Buffer.alloc(0);
  }

  write(bytes: Uint8Array): void {
    if (!this.sink) return;
    // Split on bytes, decode whole lines: a UTF-8 character split across two writes stays whole.
    let rest = Buffer.concat([this.pending, bytes]);
    for (let nl = rest.indexOf(10); nl >= 0; nl = rest.indexOf(10)) {
      this.push(rest.subarray(0, nl).toString('utf8'));
      rest = rest.subarray(nl + 1);
    }
    this.pending = Buffer.from(rest);
  }

  private push(line: string): void {
    const sink = this.sink!;
    this.chain = this.chain.then(() => sink(line)).catch(() => {});
  }

  /** Flushes a partial last line and waits for the entries to be written. */
  async end(): Promise<void> {
    if (this.sink && this.pending.length > 0) this.push(this.pending.toString('utf8'));
    this.pending = Buffer.alloc(0);
    this.sink = null;
    await this.chain;
  }
}
