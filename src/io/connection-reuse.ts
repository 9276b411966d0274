// Whether undici wrote a request on a connection that had already carried one. A pooled connection
// the server has closed while it sat idle fails the next request with nothing received; that request
// may be sent again on a new connection (as Go's and Chromium's clients do), but only then: a request
// that failed on a fresh connection reached a server that really did not answer.
//
// undici does not tell a handler which socket its request went out on. Its diagnostics channel
// `undici:client:sendHeaders` does, right after it called the handler's onConnect for that same
// request, synchronously, in one function (client-h1's writeH1): the handler noted in onConnect is
// the one the next message is about.
import type { Socket } from 'node:net';

export interface ReuseMark {
  /** Set when undici writes the request: true = on a connection an earlier request used. */
  reused?: boolean;
}

/** Sockets that have carried a request (weak: a closed socket is forgotten with it). */
const carried = new WeakSet<Socket>();
let writing: ReuseMark | null = null;
let subscribed = false;

function onSendHeaders(message: unknown): void {
  const mark = writing;
  writing = null;
  const socket = (message as { socket?: Socket }).socket;
  if (!mark || !socket) return;
  mark.reused = carried.has(socket);
  carried.add(socket);
}

/** Call from the handler's onConnect: the request is about to be written (or failed to be). */
export function noteWriting(mark: ReuseMark): void {
  if (!subscribed) {
    subscribed = true;
    (require('node:diagnostics_channel') as typeof import('node:diagnostics_channel')).subscribe('undici:client:sendHeaders', onSendHeaders);
  }
  writing = mark;
}
