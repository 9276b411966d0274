// LuaSec's ssl.wrap on the I/O host: a connected raw socket (raw-sockets.ts) becomes a TLSSocket,
// client or server, with luahttp's TLS policy — the peer and its host name verified by default
// against Node's CA store + NODE_EXTRA_CA_CERTS + the context's cafile/capath (transport.ts caList).
// The TLSSocket reads through a small Duplex, because bytes the raw socket already received (a
// ClientHello that arrived before the script's accept + wrap) must reach TLS first, and a TLSSocket
// built on the net.Socket itself would take its handle and skip them.
import net from 'node:net';
import tls from 'node:tls';
import { Duplex } from 'node:stream';
import { X509Certificate } from 'node:crypto';
import { caList } from './transport/ca-store.js';
import { failedInHandshake, luaSocketError, openSslVerifyText } from '../channel/luasocket-errors.js';

/** An ssl.newcontext result as data (built VM-side in src/cores/ssl/ssl-core.ts). */
export interface TlsContextSpec {
  mode: 'client' | 'server';
  /** Lowest/highest protocol ("TLSv1.2"…), from LuaSec's `protocol`. */
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  /** Verify the peer (client: chain + host name; server: ask for a client certificate). */
  verifyPeer: boolean;
  /** The context named `verify` itself: then --insecure does not override it (as for requests). */
  verifyGiven?: boolean;
  /** Server: fail the handshake without a client certificate (LuaSec's fail_if_no_peer_cert). */
  requirePeerCert: boolean;
  cafile?: string;
  capath?: string;
  cert?: string;
  key?: string;
  passphrase?: string;
  ciphers?: string;
  ciphersuites?: string;
  alpn?: string[];
  ecdhCurve?: string;
  /** Server: contexts by SNI name (LuaSec's conn:sni(table, strict)); strict refuses other names. */
  sniContexts?: Record<string, TlsContextSpec>;
  sniStrict?: boolean;
}

export interface HandshakeInfo {
  protocol: string | null;
  cipher: string | null;
  alpn: string | null;
  /** The peer's chain as DER, leaf first (empty when it sent none). */
  peerChain: Uint8Array[];
  /** OpenSSL's verification text when the chain did not verify (verify = "none" lets that through). */
  verifyError: string | null;
  /** Server side: the name the client asked for by SNI. */
  servername: string | null;
  finished: Uint8Array | null;
  peerFinished: Uint8Array | null;
}

export interface TlsHandshake {
  /** null when the handshake could not start (done then holds the error). */
  socket: tls.TLSSocket | null;
  done: Promise<{ info?: HandshakeInfo; error?: string }>;
  /** The peer closed the TCP connection without TLS's close_notify (OpenSSL 3: "unexpected eof while
   *  reading"; Node reports both ends alike). Meaningful once the TLS socket has ended. */
  uncleanEnd: () => boolean;
}

/** The secure-context part of a spec (shared by a server's SNI contexts). */
function secureOptions(spec: TlsContextSpec, systemCa = false): tls.SecureContextOptions {
  const o: tls.SecureContextOptions & { ciphersuites?: string } = {
    minVersion: spec.minVersion, maxVersion: spec.maxVersion, cert: spec.cert, key: spec.key,
    passphrase: spec.passphrase, ciphers: spec.ciphers, ecdhCurve: spec.ecdhCurve,
  };
  if (spec.ciphersuites) o.ciphersuites = spec.ciphersuites;
  const ca = caList(spec.cafile, spec.capath, systemCa && spec.mode === 'client');
  if (ca) o.ca = ca;
  return o;
}

/**
 * A Duplex over raw that first replays `pending`. `tlsEnded` tells whether TLS above it has already
 * seen the end of its stream: a close_notify ends TLS while it reads the bytes before raw's end of
 * stream; without one, TLS ends only because of it. So when the end of stream reaches TLS and TLS has
 * not ended yet, the peer closed without close_notify (`unclean` is set).
 */
function replayingDuplex(raw: net.Socket, pending: Buffer[], tlsEnded: () => boolean): { duplex: Duplex; unclean: () => boolean } {
  let unclean = false;
  const d = new Duplex({
    read() { raw.resume(); },
    write(chunk: Buffer, _enc, cb) { raw.write(chunk, cb); },
    final(cb) { raw.end(); cb(); },
    destroy(err, cb) { raw.destroy(); cb(err); },
  });
  // Failures reach the TLS socket as its end; the raw socket's error itself has nothing left to tell.
  d.on('error', () => {});
  // Registered before TLS takes the Duplex over, so this runs before TLS hears of the end (and only
  // after TLS has processed every byte: a Readable ends once all its data was delivered).
  d.once('end', () => { unclean = !tlsEnded(); });
  for (const p of pending) d.push(p);
  raw.on('data', (b: Buffer) => { if (!d.push(b)) raw.pause(); });
  // End of stream once only: a second push(null) is an error that would destroy the Duplex and drop
  // bytes TLS has not read yet.
  let ended = false;
  const end = (): void => { if (!ended && !d.destroyed) { ended = true; d.push(null); } };
  raw.on('end', end);
  raw.on('error', (e) => d.destroy(e));
  raw.on('close', end);
  if (raw.readableEnded) end(); // the peer had already finished: its 'end' will not come again
  raw.resume();
  return { duplex: d, unclean: () => unclean };
}

function peerChain(sock: tls.TLSSocket): Uint8Array[] {
  const out: Uint8Array[] = [];
  let c = sock.getPeerCertificate(true) as tls.DetailedPeerCertificate | Record<string, never>;
  const seen = new Set<unknown>();
  while (c && 'raw' in c && c.raw && !seen.has(c)) {
    seen.add(c);
    out.push(new Uint8Array(c.raw));
    if (c.issuerCertificate === c) break;
    c = c.issuerCertificate;
  }
  // Node completes the chain with the issuer it found in the trust store; LuaSec (SSL_get_peer_cert_chain)
  // lists only what the peer sent, and servers do not send their root: drop a trailing self-signed one.
  if (out.length > 1) {
    const last = new X509Certificate(out[out.length - 1]!);
    if (last.subject === last.issuer && last.checkIssued(last)) out.pop();
  }
  return out;
}

/** OpenSSL's verification result text (Node keeps it on the native handle; not public API). */
function verifyText(sock: tls.TLSSocket): string | null {
  const h = (sock as unknown as { _handle?: { verifyError?: () => Error | null } })._handle;
  const e = h?.verifyError?.();
  return e ? openSslVerifyText(e.message) : null;
}

/**
 * Starts the handshake over raw. `hostname` is what the peer's certificate must name (the SNI name,
 * else the host the socket was connected to); `sni` is sent only when the script called conn:sni().
 */
export function startTls(raw: net.Socket, pending: Buffer[], spec: TlsContextSpec, hostname: string, sni: string | null, insecure: boolean, systemCa = true): TlsHandshake {
  let common: tls.SecureContextOptions & tls.CommonConnectionOptions;
  const sniContexts = new Map<string, tls.SecureContext>();
  try {
    common = { ...secureOptions(spec, systemCa), ALPNProtocols: spec.alpn };
    for (const [name, sub] of Object.entries(spec.sniContexts ?? {})) sniContexts.set(name, tls.createSecureContext(secureOptions(sub)));
  } catch (e) {
    raw.destroy();
    return { socket: null, done: Promise.resolve({ error: (e as Error).message }), uncleanEnd: () => false };
  }
  let socket: tls.TLSSocket;
  // The readable side's end flag is set the moment TLS pushes its end of stream ('end' is emitted
  // later); Readable's state object has no public accessor for it.
  const { duplex, unclean } = replayingDuplex(raw, pending, () => (socket as unknown as { _readableState?: { ended?: boolean } } | undefined)?._readableState?.ended === true);
  const settled = new Promise<{ info?: HandshakeInfo; error?: string }>((resolve) => {
    const info = (s: tls.TLSSocket): HandshakeInfo => {
      const chain = peerChain(s);
      return {
        protocol: s.getProtocol(), cipher: s.getCipher()?.name ?? null, alpn: typeof s.alpnProtocol === 'string' ? s.alpnProtocol : null,
        peerChain: chain, verifyError: chain.length ? verifyText(s) : null,
        servername: typeof (s as { servername?: unknown }).servername === 'string' ? (s as unknown as { servername: string }).servername : null,
        finished: s.getFinished() ?? null, peerFinished: s.getPeerFinished() ?? null,
      };
    };
    const fail = (e: unknown): void => resolve({ error: luaSocketError(failedInHandshake(e)) });
    if (spec.mode === 'client') {
      const verify = spec.verifyGiven ? spec.verifyPeer : !insecure;
      socket = tls.connect({
        ...common,
        socket: duplex,
        servername: sni && !net.isIP(sni) ? sni : undefined,
        rejectUnauthorized: verify,
        checkServerIdentity: (_host, cert) => tls.checkServerIdentity(hostname.replace(/^\[|\]$/g, ''), cert),
      });
      socket.once('secureConnect', () => resolve({ info: info(socket) }));
    } else {
      socket = new tls.TLSSocket(duplex, {
        ...common,
        isServer: true,
        secureContext: tls.createSecureContext(common),
        SNICallback: spec.sniContexts ? (name, cb) => {
          const sub = sniContexts.get(name);
          if (sub || !spec.sniStrict) cb(null, sub);
          else cb(new Error('unrecognized name'));
        } : undefined,
        requestCert: spec.verifyPeer,
        // Node then sets SSL_VERIFY_FAIL_IF_NO_PEER_CERT; a presented but unverified certificate is
        // refused below, as OpenSSL does for LuaSec's verify = "peer".
        rejectUnauthorized: spec.requirePeerCert,
      });
      socket.once('secure', () => {
        const i = info(socket);
        if (spec.verifyPeer && i.peerChain.length && i.verifyError) {
          socket.destroy();
          resolve({ error: `certificate verify failed (${i.verifyError})` });
          return;
        }
        resolve({ info: i });
      });
    }
    socket.once('error', fail);
    // Errors after the outcome (a second alert, a reset after a failed handshake) are the connection's
    // business (raw-sockets.ts attach() listens once it is up); they must not crash the host.
    socket.on('error', () => {});
    socket.once('close', () => resolve({ error: 'closed' }));
  });
  return { socket: socket!, done: settled, uncleanEnd: unclean };
}
