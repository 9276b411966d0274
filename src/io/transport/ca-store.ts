// Which certificate authorities a TLS client trusts. Node's own store is its bundled Mozilla roots
// (+ NODE_EXTRA_CA_CERTS); company CAs are usually only in the operating system's store, where curl and
// LuaSec-with-a-system-cafile find them. So, like curl, luahttp also trusts the system store where
// Node can read it (tls.getCACertificates('system'): Node >= 22.15 / 23.8; on Linux it honours
// SSL_CERT_FILE and SSL_CERT_DIR as OpenSSL does). `--no-system-ca` (systemCa: false) keeps Node's
// store only. Node's `ca` option replaces the default store, so every list here starts from it.
import fs from 'node:fs';
import path from 'node:path';
import type tls from 'node:tls';

/** LuaSec's message when a CA file or directory cannot be loaded (ssl.newcontext fails the same way). */
export class CaLoadError extends Error {}

// Required when first needed, not imported: an ESM import of node:tls evaluates every export,
// rootCertificates included (~4 ms of every script's first request).
const tlsModule = (): typeof tls => require('node:tls') as typeof tls;

let systemCache: string[] | null | undefined;
/** The operating system's CAs, or null where this Node cannot read them (Node 20). */
export function systemCertificates(): string[] | null {
  if (systemCache !== undefined) return systemCache;
  const get = (tlsModule() as { getCACertificates?: (which: string) => string[] }).getCACertificates;
  try {
    systemCache = typeof get === 'function' ? get('system') : null;
  } catch {
    systemCache = null;
  }
  return systemCache;
}

/**
 * The CA list for a client that adds `cafile`/`capath` and/or the system store to Node's own; undefined
 * when Node's default store is the answer (nothing added), so Node's cached default context is used.
 */
export function caList(cafile: string | undefined, capath: string | undefined, system = false): string[] | undefined {
  const sys = system ? systemCertificates() : null;
  if (!cafile && !capath && !sys?.length) return undefined;
  const list = [...tlsModule().rootCertificates];
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (extra) { try { list.push(fs.readFileSync(extra, 'latin1')); } catch { /* Node warns about it at start */ } }
  if (sys) list.push(...sys);
  try {
    if (cafile) list.push(fs.readFileSync(cafile, 'latin1'));
    if (capath) {
      // OpenSSL's hashed directory (c_rehash: <hash>.<n>) and plain .pem/.crt files alike.
      for (const f of fs.readdirSync(capath).sort()) {
        if (!/^[0-9a-f]{8}\.\d+$|\.(pem|crt)$/i.test(f)) continue;
        const text = fs.readFileSync(path.join(capath, f), 'latin1');
        if (text.includes('-----BEGIN CERTIFICATE-----')) list.push(text);
      }
    }
  } catch (e) {
    throw new CaLoadError(`error loading CA locations (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message})`);
  }
  return list;
}

const contexts = new Map<string, tls.SecureContext>();
/**
 * One secure context per CA list: passing `ca` to every tls.connect would parse the ~500 certificates
 * again for each new connection.
 */
export function caContext(key: string, list: string[]): tls.SecureContext {
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = tlsModule().createSecureContext({ ca: list });
    contexts.set(key, ctx);
  }
  return ctx;
}
