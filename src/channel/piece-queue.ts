// A first-in first-out queue of body pieces with O(1) take from the front. Array.shift() moves every
// element: a body of 1,000,000 one-byte HTTP chunks queued up took 506 s (quadratic); this keeps a
// read index and drops the consumed prefix only once it is at least half of the array.

export interface Piece {
  bytes: Uint8Array;
  /** More bytes of the same HTTP chunk follow in the next piece (see src/io/llhttp/response-feeder.ts). */
  continues: boolean;
  /** The bytes are a view into the shared ring (the VM side releases its space once consumed). */
  inRing: boolean;
}

export class PieceQueue {
  private items: Piece[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(bytes: Uint8Array, continues = false, inRing = false): void {
    this.items.push({ bytes, continues, inRing });
  }

  /** The i-th queued piece (0 = the front); undefined past the end. */
  at(i: number): Piece | undefined {
    return this.items[this.head + i];
  }

  shift(): Piece | undefined {
    if (this.head >= this.items.length) return undefined;
    const p = this.items[this.head]!;
    this.items[this.head++] = undefined as unknown as Piece;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return p;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
