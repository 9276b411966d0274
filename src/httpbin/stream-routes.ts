import { dumpJson } from './json.js';
import { clampInt, pythonFloat, pythonInt, sleepMilliseconds } from './python-numbers.js';
import { fixedReply, plainReply, type ByteSink, type HeaderList, type Reply } from './reply.js';
import type { Route } from './router.js';
import { cyclicSlice, DEFAULT_SEED, HTTPBIN_BYTES_CAP, seededBlock } from './seeded-bytes.js';
import { argCaseInsensitive, type MultiDict } from './url-encoded.js';

const OCTET_STREAM = 'application/octet-stream';

/** luahttp's cap for /stream-bytes (httpbin caps at 100 KiB); big enough for multi-GiB download tests. */
export const STREAM_BYTES_CAP = 2 * 1024 ** 3;

// httpbin has no chunk_size cap; one chunk is one allocation here, so bound it.
const MAX_CHUNK_SIZE = 1024 * 1024;

function seedOf(args: MultiDict): bigint {
  const seed = argCaseInsensitive(args, 'seed');
  return seed === undefined ? DEFAULT_SEED : pythonInt(seed);
}

/** `max(1, int(chunk_size))`, default 10 KiB. */
function chunkSizeOf(args: MultiDict): number {
  const text = argCaseInsensitive(args, 'chunk_size');
  if (text === undefined) return 10 * 1024;
  const n = pythonInt(text);
  return n < 1n ? 1 : clampInt(n, MAX_CHUNK_SIZE);
}

function streamReply(status: number, headers: HeaderList, stream: (sink: ByteSink) => Promise<void>): Reply {
  return { kind: 'stream', status, headers, stream };
}

/**
 * Paces `total` bytes so byte i leaves at i*pause ms and the response ends
 * at total*pause ms, matching httpbin's write-then-sleep loop. Bytes that
 * are due together go out as one write, so a short duration with many bytes
 * does not cost a timer per byte.
 */
async function pacedWrite(sink: ByteSink, total: number, pauseMs: number, byteAt: (i: number, n: number) => Buffer): Promise<void> {
  const start = performance.now();
  let sent = 0;
  while (sent < total && !sink.closed) {
    const due = pauseMs > 0 ? Math.min(total, Math.floor((performance.now() - start) / pauseMs) + 1) : total;
    if (due > sent) {
      await sink.write(byteAt(sent, due - sent));
      sent = due;
    }
    if (sent < total) await sink.sleep(start + sent * pauseMs - performance.now());
  }
  if (pauseMs > 0) await sink.sleep(start + total * pauseMs - performance.now());
}

/** /bytes, /stream-bytes, /stream, /drip and /range. */
export const streamRoutes: readonly Route[] = [
  {
    rule: '/bytes/<int:n>',
    methods: ['GET'],
    handle: ({ request, params }) => {
      const n = clampInt(BigInt(params.n as string), HTTPBIN_BYTES_CAP);
      return fixedReply(200, [['Content-Type', OCTET_STREAM]], seededBlock(seedOf(request.args)).subarray(0, n));
    },
  },
  {
    rule: '/stream-bytes/<int:n>',
    methods: ['GET'],
    handle: ({ request, params }) => {
      const n = clampInt(BigInt(params.n as string), STREAM_BYTES_CAP);
      const block = seededBlock(seedOf(request.args));
      const chunkSize = chunkSizeOf(request.args);
      // Generated chunk by chunk as the socket drains, so a 1 GiB response holds one chunk at a time.
      return streamReply(200, [['Content-Type', OCTET_STREAM]], async (sink) => {
        for (let sent = 0; sent < n && !sink.closed; sent += chunkSize) {
          await sink.write(cyclicSlice(block, sent, Math.min(chunkSize, n - sent)));
        }
      });
    },
  },
  {
    rule: '/stream/<int:n>',
    methods: ['GET'],
    handle: ({ request, params }) => {
      const n = clampInt(BigInt(params.n as string), 100);
      // Plain json.dumps per line: insertion order (url, args, headers, origin, id), single line.
      const message = request.dict(['url', 'args', 'headers', 'origin']);
      return streamReply(200, [['Content-Type', 'application/json']], async (sink) => {
        for (let id = 0; id < n && !sink.closed; id++) {
          message.set('id', id);
          await sink.write(Buffer.from(dumpJson(message) + '\n', 'utf8'));
        }
      });
    },
  },
  {
    rule: '/drip',
    methods: ['GET'],
    handle: async ({ request, sleep }) => {
      const arg = (name: string): string | undefined => argCaseInsensitive(request.args, name);
      const duration = pythonFloat(arg('duration') ?? '2');
      const numbytes = clampInt(pythonInt(arg('numbytes') ?? '10'), 10 * 1024 * 1024);
      const code = pythonInt(arg('code') ?? '200');
      if (numbytes <= 0) return plainReply(400, 'number of bytes must be positive');
      // httpbin would send any int; Node can only send 100..999, so others fail as a 500.
      if (code < 100n || code > 999n) throw new Error(`cannot send status ${code}`);
      const status = Number(code);
      const delay = pythonFloat(arg('delay') ?? '0');
      if (delay > 0) await sleep(sleepMilliseconds(delay));
      const pauseMs = sleepMilliseconds(duration / numbytes);
      return streamReply(
        status,
        [['Content-Type', OCTET_STREAM], ['Content-Length', String(numbytes)]],
        (sink) => pacedWrite(sink, numbytes, pauseMs, (_, count) => Buffer.alloc(count, 0x2a)),
      );
    },
  },
  {
    rule: '/range/<int:numbytes>',
    methods: ['GET'],
    handle: ({ request, params }) => {
      const numbytesBig = BigInt(params.numbytes as string);
      const etag = `range${numbytesBig}`;
      if (numbytesBig <= 0n || numbytesBig > BigInt(HTTPBIN_BYTES_CAP)) {
        return plainReply(404, 'number of bytes must be in the range (0, 102400]', [['ETag', etag], ['Accept-Ranges', 'bytes']]);
      }
      const numbytes = Number(numbytesBig);
      const chunkSize = chunkSizeOf(request.args);
      const duration = pythonFloat(argCaseInsensitive(request.args, 'duration') ?? '0');
      const pausePerByteMs = sleepMilliseconds(duration / numbytes);
      const [first, last] = requestedRange(request.headers.get('Range'), numbytes);
      if (first > last || first < 0 || first >= numbytes || last < 0 || last >= numbytes) {
        return plainReply(416, '', [
          ['ETag', etag],
          ['Accept-Ranges', 'bytes'],
          ['Content-Range', `bytes */${numbytes}`],
          ['Content-Length', '0'],
        ]);
      }
      const length = last + 1 - first;
      const status = first === 0 && last === numbytes - 1 ? 200 : 206;
      const headers: HeaderList = [
        ['Content-Type', OCTET_STREAM],
        ['ETag', etag],
        ['Accept-Ranges', 'bytes'],
        ['Content-Length', String(length)],
        ['Content-Range', `bytes ${first}-${last}/${numbytes}`],
      ];
      return streamReply(status, headers, async (sink) => {
        for (let offset = 0; offset < length && !sink.closed; offset += chunkSize) {
          const size = Math.min(chunkSize, length - offset);
          // httpbin sleeps after a full chunk and before the final partial one; the total pause is the same.
          const chunk = Buffer.alloc(size);
          for (let i = 0; i < size; i++) chunk[i] = 0x61 + ((first + offset + i) % 26);
          await sink.write(chunk);
          if (pausePerByteMs > 0) await sink.sleep(pausePerByteMs * size);
        }
      });
    },
  },
];

/**
 * httpbin `get_request_range`: `bytes=a-b`, `bytes=a-`, `bytes=-n`; anything
 * it cannot read means the whole resource. Multiple ranges are not supported
 * (httpbin reads only the first number pair, as here).
 */
function requestedRange(header: string | undefined, size: number): [number, number] {
  let left: number | undefined;
  let right: number | undefined;
  const text = header?.trim();
  if (text?.startsWith('bytes')) {
    const components = text.split('=');
    if (components.length === 2) {
      const bounds = (components[1] as string).split('-');
      right = intOrUndefined(bounds[1]);
      left = intOrUndefined(bounds[0]);
    }
  }
  if (left === undefined && right === undefined) return [0, size - 1];
  if (left === undefined) return [Math.max(0, size - (right as number)), size - 1];
  if (right === undefined) return [left, size - 1];
  return [left, right];
}

function intOrUndefined(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    const n = pythonInt(text);
    return n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
  } catch {
    return undefined;
  }
}
