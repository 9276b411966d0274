// A websocket server (RFC 6455) on 127.0.0.1 for the http.websocket scripts (test/lua-http/websocket-*),
// over node:http's upgrade event, plain (ws://) and TLS (wss://, the test CA's localhost leaf).
// Each path is one behaviour a script can hit:
//   /echo                 messages echoed with their opcode (fragments joined), pings answered with a pong,
//                         a close answered with the same close payload, then the connection ends
//   /report               every frame the client sends answered by a text message describing it
//                         ("op=1 fin=1 rsv=0 mask=1 len=3 data=616263"); pings ponged, closes echoed
//   /close?code=&reason=  a close frame at once (no code: an empty close payload)
//   /ping?data=           a ping; the client's pong is answered by the text "pong <data>"
//   /pong                 an unsolicited pong, then the text "after pong"
//   /fragments            "frag"+"men"+"ted" as three text frames with a ping between, then binary "\0\255" in two
//   /big?n=               one binary message of n bytes (byte i = i % 256)
//   /silent               accepts and sends nothing
//   /drop                 sends "bye", then ends TCP without a close frame
//   /bad-utf8             a text message that is not UTF-8
//   /bad-close            a close frame with the reserved code 1005
//   /rsv                  a text frame with RSV1 set
//   /send?hex=            the given bytes as they are (any frame a script wants to see), then echo
//   /slowframe            the first 10 bytes of a text frame; the rest when the client sends a message
//   /headers              the handshake's request headers as one text message (sorted, key left out)
//   /protocol?choose=     a 101 that picks that subprotocol, then echo
//   /refuse               403 Forbidden
//   /bad-accept           101 with a wrong Sec-WebSocket-Accept
//   /no-upgrade           101 without an Upgrade header
//   /extensions           101 that claims permessage-deflate
//   /redirect             302 to /echo
//   /stall                reads the request and never answers
//   /hangup               reads the request and closes the connection without an answer
//   /relay?room=          messages go to the room's other members (held for the next one while alone):
//                         lets two websockets of one script talk, so a test sees that both run at once
// Every socket and the server have bounded lifetimes.
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { OP, buildFrame, closePayload, parseFrames, type Frame } from './websocket-frames.js';

export interface WebsocketServer {
  /** ws://127.0.0.1:PORT */
  url: string;
  /** wss://localhost:PORT (with `tls`) */
  tlsUrl?: string;
  close(): Promise<void>;
}

const MAGIC = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const SOCKET_LIFETIME_MS = 30_000;
const SERVER_LIFETIME_MS = 180_000;

function acceptFor(key: string): string {
  return crypto.createHash('sha1').update(key + MAGIC).digest('base64');
}

function head(status: string, fields: [string, string][]): string {
  return `HTTP/1.1 ${status}\r\n${fields.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}

function describe(f: Frame): string {
  return `op=${f.opcode} fin=${f.fin ? 1 : 0} rsv=${f.rsv} mask=${f.masked ? 1 : 0} len=${f.payload.length} data=${f.payload.subarray(0, 40).toString('hex')}`;
}

/** Reads client frames and hands each to `onFrame`; a protocol violation ends the connection. */
function readFrames(sock: Duplex, onFrame: (f: Frame) => void): void {
  let pending = Buffer.alloc(0);
  sock.on('data', (d: Buffer) => {
    pending = Buffer.concat([pending, d]);
    let parsed;
    try {
      parsed = parseFrames(pending);
    } catch {
      sock.destroy();
      return;
    }
    pending = Buffer.from(parsed.rest);
    for (const f of parsed.frames) onFrame(f);
  });
}

/** The usual answers to control frames: pong for ping, close echoed then the end. */
function control(sock: Duplex, f: Frame): boolean {
  if (f.opcode === OP.ping) {
    sock.write(buildFrame(OP.pong, f.payload));
    return true;
  }
  if (f.opcode === OP.close) {
    sock.end(buildFrame(OP.close, f.payload));
    return true;
  }
  return f.opcode === OP.pong;
}

function echo(sock: Duplex): void {
  let parts: Buffer[] = [];
  let opcode = OP.text as number;
  readFrames(sock, (f) => {
    if (control(sock, f)) return;
    if (f.opcode !== OP.continuation) opcode = f.opcode;
    parts.push(f.payload);
    if (f.fin) {
      sock.write(buildFrame(opcode, Buffer.concat(parts)));
      parts = [];
    }
  });
}

function text(s: string): Buffer {
  return buildFrame(OP.text, Buffer.from(s, 'latin1'));
}

interface Room { members: Set<Duplex>; held: Buffer[] }

function relay(rooms: Map<string, Room>, name: string, sock: Duplex): void {
  let room = rooms.get(name);
  if (!room) rooms.set(name, room = { members: new Set(), held: [] });
  const r = room;
  r.members.add(sock);
  for (const frame of r.held.splice(0)) sock.write(frame);
  sock.on('close', () => r.members.delete(sock));
  readFrames(sock, (f) => {
    if (control(sock, f)) return;
    const out = buildFrame(f.opcode, f.payload, f.fin);
    const others = [...r.members].filter((m) => m !== sock);
    if (others.length === 0) r.held.push(out);
    for (const m of others) m.write(out);
  });
}

/** After the 101: what the connection does, by path. */
function behave(sock: Duplex, url: URL, req: http.IncomingMessage, rooms: Map<string, Room>): void {
  const q = url.searchParams;
  switch (url.pathname) {
    case '/echo': case '/protocol': case '/redirected':
      echo(sock);
      return;
    case '/report':
      readFrames(sock, (f) => {
        sock.write(text(describe(f)));
        if (f.opcode === OP.close) sock.end(buildFrame(OP.close, f.payload));
        else if (f.opcode === OP.ping) sock.write(buildFrame(OP.pong, f.payload));
      });
      return;
    case '/close': {
      const code = q.get('code');
      sock.write(buildFrame(OP.close, closePayload(code === null ? undefined : Number(code), q.get('reason') ?? '')));
      readFrames(sock, (f) => { if (f.opcode === OP.close) sock.end(); });
      return;
    }
    case '/ping': {
      const data = Buffer.from(q.get('data') ?? '', 'latin1');
      sock.write(buildFrame(OP.ping, data));
      readFrames(sock, (f) => {
        if (f.opcode === OP.pong) sock.write(text(`pong ${f.payload.toString('latin1')}`));
        else if (!control(sock, f)) sock.write(buildFrame(f.opcode, f.payload));
      });
      return;
    }
    case '/pong':
      sock.write(Buffer.concat([buildFrame(OP.pong, Buffer.from('unsolicited')), text('after pong')]));
      echo(sock);
      return;
    case '/fragments':
      sock.write(Buffer.concat([
        buildFrame(OP.text, Buffer.from('frag'), false), buildFrame(OP.continuation, Buffer.from('men'), false),
        buildFrame(OP.ping, Buffer.from('mid')), buildFrame(OP.continuation, Buffer.from('ted'), true),
        buildFrame(OP.binary, Buffer.from([0]), false), buildFrame(OP.continuation, Buffer.from([255]), true),
      ]));
      echo(sock);
      return;
    case '/big': {
      const n = Math.min(Number(q.get('n') ?? '0'), 16 * 1024 * 1024);
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = i % 256;
      sock.write(buildFrame(OP.binary, b));
      echo(sock);
      return;
    }
    case '/relay':
      relay(rooms, q.get('room') ?? '', sock);
      return;
    case '/silent':
      readFrames(sock, (f) => { if (f.opcode === OP.close) sock.end(buildFrame(OP.close, f.payload)); });
      return;
    case '/drop':
      sock.end(text('bye'));
      return;
    case '/bad-utf8':
      sock.write(buildFrame(OP.text, Buffer.from([0x61, 0x62, 0xff, 0xfe])));
      echo(sock);
      return;
    case '/bad-close':
      sock.write(buildFrame(OP.close, closePayload(1005, 'reserved')));
      echo(sock);
      return;
    case '/rsv':
      sock.write(buildFrame(OP.text, Buffer.from('rsv'), true, 4));
      echo(sock);
      return;
    case '/send':
      sock.write(Buffer.from(q.get('hex') ?? '', 'hex'));
      echo(sock);
      return;
    case '/slowframe': {
      // The rest only when the client asks: its receive() must have timed out on the first part.
      const frame = text('arrived in two pieces');
      let rest: Buffer | null = frame.subarray(10);
      sock.write(frame.subarray(0, 10));
      readFrames(sock, (f) => {
        if (control(sock, f)) return;
        if (rest) sock.write(rest);
        else sock.write(buildFrame(f.opcode, f.payload));
        rest = null;
      });
      return;
    }
    case '/headers': {
      const lines: string[] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i]!.toLowerCase();
        if (name !== 'sec-websocket-key') lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
      }
      sock.write(text(`${req.method} ${req.url} HTTP/${req.httpVersion}\n${lines.sort().join('\n')}`));
      echo(sock);
      return;
    }
    default:
      sock.end(buildFrame(OP.close, closePayload(1008, `no route ${url.pathname}`)));
  }
}

function upgrade(req: http.IncomingMessage, sock: Duplex, rooms: Map<string, Room>): void {
  sock.on('error', () => {});
  (sock as net.Socket).setTimeout?.(SOCKET_LIFETIME_MS, () => sock.destroy());
  const url = new URL(req.url ?? '/', 'http://x');
  const key = String(req.headers['sec-websocket-key'] ?? '');
  const accept = acceptFor(key);
  const base: [string, string][] = [['Upgrade', 'websocket'], ['Connection', 'Upgrade'], ['Sec-WebSocket-Accept', accept]];
  switch (url.pathname) {
    case '/refuse':
      sock.end(head('403 Forbidden', [['Content-Type', 'text/plain'], ['Content-Length', '9']]) + 'forbidden');
      return;
    case '/bad-accept':
      sock.end(head('101 Switching Protocols', [['Upgrade', 'websocket'], ['Connection', 'Upgrade'], ['Sec-WebSocket-Accept', acceptFor('wrong')]]));
      return;
    case '/no-upgrade':
      sock.end(head('101 Switching Protocols', [['Connection', 'Upgrade'], ['Sec-WebSocket-Accept', accept]]));
      return;
    case '/extensions':
      sock.end(head('101 Switching Protocols', [...base, ['Sec-WebSocket-Extensions', 'permessage-deflate']]));
      return;
    case '/redirect':
      sock.end(head('302 Found', [['Location', '/redirected'], ['Content-Length', '0']]));
      return;
    case '/stall':
      return;
    case '/hangup':
      sock.end();
      return;
    case '/protocol':
      sock.write(head('101 Switching Protocols', [...base, ['Sec-WebSocket-Protocol', url.searchParams.get('choose') ?? '']]));
      break;
    default:
      sock.write(head('101 Switching Protocols', base));
  }
  behave(sock, url, req, rooms);
}

function listen(server: net.Server, host: string): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port)));
}

/** Starts the server; with `tls` (a key and certificate for localhost) a wss:// twin too. */
export async function startWebsocketServer(tls?: { key: Buffer; cert: Buffer }): Promise<WebsocketServer> {
  const notUpgrade: http.RequestListener = (_req, res) => {
    res.writeHead(426, { 'Content-Length': '0' });
    res.end();
  };
  const servers: http.Server[] = [http.createServer(notUpgrade)];
  if (tls) servers.push(https.createServer({ ...tls }, notUpgrade));
  const sockets = new Set<Duplex>();
  const rooms = new Map<string, Room>();
  for (const s of servers) {
    s.on('upgrade', (req: http.IncomingMessage, sock: Duplex, early: Buffer) => {
      sockets.add(sock);
      // Bytes the client sent right after its request belong to the frames.
      if (early.length > 0) sock.unshift(early);
      sock.on('close', () => sockets.delete(sock));
      upgrade(req, sock, rooms);
    });
  }
  const port = await listen(servers[0]!, '127.0.0.1');
  const tlsPort = tls ? await listen(servers[1]!, '127.0.0.1') : 0;
  const closeAll = (): Promise<void> => {
    for (const sock of sockets) sock.destroy();
    return Promise.all(servers.map((s) => new Promise<void>((r) => {
      s.closeAllConnections();
      s.close(() => r());
    }))).then(() => undefined);
  };
  const lifetime = setTimeout(() => void closeAll(), SERVER_LIFETIME_MS);
  lifetime.unref();
  return {
    url: `ws://127.0.0.1:${port}`,
    tlsUrl: tls ? `wss://localhost:${tlsPort}` : undefined,
    async close() {
      clearTimeout(lifetime);
      await closeAll();
    },
  };
}
