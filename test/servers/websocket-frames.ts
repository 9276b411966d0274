// RFC 6455 frames for the test websocket server (websocket-server.ts): building server frames
// (never masked, 5.1) and parsing what a client sends, byte for byte, so the server can report
// exactly which frames a client put on the wire (opcode, FIN, RSV bits, mask, payload).

export interface Frame {
  fin: boolean;
  /** RSV1..RSV3 as a 3-bit number. */
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Buffer;
}

export const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/** A server frame: unmasked, 7/16/64-bit length as the payload needs. */
export function buildFrame(opcode: number, payload: Buffer = Buffer.alloc(0), fin = true, rsv = 0): Buffer {
  const b1 = (fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f);
  let head: Buffer;
  if (payload.length <= 125) {
    head = Buffer.from([b1, payload.length]);
  } else if (payload.length <= 0xffff) {
    head = Buffer.alloc(4);
    head[0] = b1;
    head[1] = 126;
    head.writeUInt16BE(payload.length, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = b1;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  return Buffer.concat([head, payload]);
}

/** A close frame's payload: 2-byte code and reason, or empty when there is no code. */
export function closePayload(code?: number, reason = ''): Buffer {
  if (code === undefined) return Buffer.alloc(0);
  const b = Buffer.alloc(2);
  b.writeUInt16BE(code, 0);
  return Buffer.concat([b, Buffer.from(reason, 'latin1')]);
}

/** Larger payloads than a test ever sends mean a broken client: the server drops the connection. */
const MAX_PAYLOAD = 64 * 1024 * 1024;

/**
 * Takes whole frames off the front of `buf`: the frames and the bytes left over (an incomplete frame).
 * Throws on a payload length beyond MAX_PAYLOAD.
 */
export function parseFrames(buf: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let pos = 0;
  for (;;) {
    if (buf.length - pos < 2) break;
    const b1 = buf[pos]!;
    const b2 = buf[pos + 1]!;
    let len = b2 & 0x7f;
    let at = pos + 2;
    if (len === 126) {
      if (buf.length < at + 2) break;
      len = buf.readUInt16BE(at);
      at += 2;
    } else if (len === 127) {
      if (buf.length < at + 8) break;
      const big = buf.readBigUInt64BE(at);
      if (big > BigInt(MAX_PAYLOAD)) throw new Error(`frame too large (${big} bytes)`);
      len = Number(big);
      at += 8;
    }
    const masked = (b2 & 0x80) !== 0;
    const keyAt = at;
    if (masked) at += 4;
    if (buf.length < at + len) break;
    const payload = Buffer.from(buf.subarray(at, at + len));
    if (masked) for (let i = 0; i < len; i++) payload[i]! ^= buf[keyAt + (i % 4)]!;
    frames.push({ fin: (b1 & 0x80) !== 0, rsv: (b1 >> 4) & 7, opcode: b1 & 0x0f, masked, payload });
    pos = at + len;
  }
  return { frames, rest: buf.subarray(pos) };
}
