const N = 624;
const M = 397;

/**
 * CPython's `random` module, reduced to what httpbin's /bytes uses:
 * `random.seed(int)` then `random.randint(0, 255)` per byte. Same MT19937
 * state and the same rejection sampling (`_randbelow`: 9 random bits, retry
 * when >= 256), so `/bytes/n?seed=s` is byte-identical to httpbin.org's.
 */
export class PythonRandom {
  private readonly state = new Uint32Array(N);
  private index = N;

  /** `random.seed(n)` for an int: the absolute value, split into 32-bit little-endian words. */
  constructor(seed: bigint) {
    let rest = seed < 0n ? -seed : seed;
    const key: number[] = [];
    do {
      key.push(Number(rest & 0xffffffffn));
      rest >>= 32n;
    } while (rest > 0n);
    this.initByArray(key);
  }

  /** Fills `target` with successive `randint(0, 255)` values. */
  fillBytes(target: Uint8Array): void {
    const mt = this.state;
    let i = this.index;
    let k = 0;
    while (k < target.length) {
      if (i >= N) {
        this.twist();
        i = 0;
      }
      let y = mt[i++] as number;
      y ^= y >>> 11;
      y ^= (y << 7) & 0x9d2c5680;
      y ^= (y << 15) & 0xefc60000;
      y ^= y >>> 18;
      // getrandbits(9) is the top 9 bits; values >= 256 (top bit set) are redrawn.
      if ((y & 0x80000000) === 0) target[k++] = y >>> 23;
    }
    this.index = i;
  }

  private initGenrand(seed: number): void {
    const mt = this.state;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
  }

  private initByArray(key: readonly number[]): void {
    this.initGenrand(19650218);
    const mt = this.state;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30);
      mt[i] = (((mt[i] as number) ^ Math.imul(prev, 1664525)) + (key[j] as number) + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1] as number;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30);
      mt[i] = (((mt[i] as number) ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1] as number;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.index = N;
  }

  private twist(): void {
    const mt = this.state;
    for (let kk = 0; kk < N; kk++) {
      const y = ((mt[kk] as number) & 0x80000000) | ((mt[(kk + 1) % N] as number) & 0x7fffffff);
      mt[kk] = (mt[(kk + M) % N] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
  }
}
