// The JS part of LuaSec's `ssl` (ssl.core, ssl.context, ssl.x509 in LuaSec): contexts ("SSL:Context")
// checked as LuaSec's newcontext checks its parameters, wrapped connections ("SSL:Connection") that
// take a TCP object's connection over (src/io/tls-upgrade.ts does the TLS), and certificates
// (x509.ts). A connection reads and writes through the TCP object code (tcp.ts sendOn/receiveOn), so
// patterns, partial results and statistics are LuaSocket's, with LuaSec's "wantread"/"wantwrite"
// for waits that time out.
//
// Deliberate differences (README, Porting, with the others Node imposes): a client verifies the peer
// and its host name unless the context says verify = "none" (LuaSec: no verification unless "peer",
// never a host name); a failed handshake stays failed (LuaSec 1.2 answers a second dohandshake()
// with true).
import type crypto from 'node:crypto';
import fs from 'node:fs';
import type tls from 'node:tls';
import type { LuaApi, LuaCFunction } from '../../vm/lua-api.js';
import { LuaScriptError, LuaType } from '../../vm/lua-api.js';
import type { TcpObject, TcpObjects } from '../socket/tcp.js';
import { LuaArgs } from '../socket/lua-args.js';
import { applySetTimeout, now, retryMs } from '../socket/timeouts.js';
import type { HandshakeInfo, TlsContextSpec } from '../../io/tls-upgrade.js';
import { UdataClass } from './udata-class.js';
import { op, type OpSteps } from '../../vm/op-waiter.js';
import { X509Objects, nodeCrypto } from './x509.js';

// node:tls and node:crypto are required on use, not imported: loading them cost every script's
// start-up ~3–4 ms each.
/** `invalidMode`: LuaSec's newcontext accepts any mode string; wrap then fails with "invalid mode". */
interface ContextObject { spec: TlsContextSpec; invalidMode: boolean }

interface SslConn {
  t: TcpObject;
  spec: TlsContextSpec;
  state: 'new' | 'handshaking' | 'connected' | 'failed' | 'closed';
  error?: string;
  sni: string | null;
  /** Bytes the TCP object had read but the script had not (handed to TLS with the first handshake). */
  unread: Uint8Array | null;
  info?: HandshakeInfo;
  want: 'nothing' | 'read' | 'write';
  /** Server side: sni(names, strict) — the context to use for each name a client asks for. */
  serverSni?: { contexts: Record<string, TlsContextSpec>; strict: boolean };
}

const PROTOCOLS: Record<string, [tls.SecureVersion | undefined, tls.SecureVersion | undefined]> = {
  any: [undefined, undefined], sslv23: [undefined, undefined],
  tlsv1: ['TLSv1', 'TLSv1'], tlsv1_1: ['TLSv1.1', 'TLSv1.1'], tlsv1_2: ['TLSv1.2', 'TLSv1.2'], tlsv1_3: ['TLSv1.3', 'TLSv1.3'],
};
const VERSIONS: tls.SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** LuaSec 1.2's option names (options.c, built against OpenSSL 3.0); the no_tlsv* ones narrow the versions. */
const OPTIONS = new Set(['all', 'allow_client_renegotiation', 'allow_no_dhe_kex', 'allow_unsafe_legacy_renegotiation',
  'cipher_server_preference', 'cisco_anyconnect', 'cleanse_plaintext', 'cookie_exchange', 'cryptopro_tlsext_bug',
  'disable_tlsext_ca_names', 'dont_insert_empty_fragments', 'enable_ktls', 'enable_middlebox_compat', 'ephemeral_rsa',
  'ignore_unexpected_eof', 'legacy_server_connect', 'microsoft_big_sslv3_buffer', 'microsoft_sess_id_bug',
  'msie_sslv2_rsa_padding', 'netscape_ca_dn_bug', 'netscape_challenge_bug', 'netscape_demo_cipher_change_bug',
  'netscape_reuse_cipher_change_bug', 'no_anti_replay', 'no_compression', 'no_dtls_mask', 'no_dtlsv1', 'no_dtlsv1_2',
  'no_encrypt_then_mac', 'no_extended_master_secret', 'no_query_mtu', 'no_renegotiation', 'no_session_resumption_on_renegotiation',
  'no_ssl_mask', 'no_sslv2', 'no_sslv3', 'no_ticket', 'no_tlsv1', 'no_tlsv1_1', 'no_tlsv1_2', 'no_tlsv1_3', 'pkcs1_check_1',
  'pkcs1_check_2', 'prioritize_chacha', 'safari_ecdhe_ecdsa_bug', 'single_dh_use', 'single_ecdh_use',
  'ssleay_080_client_dh_bug', 'sslref2_reuse_cert_type_bug', 'tlsext_padding', 'tls_block_padding_bug', 'tls_d5_bug',
  'tls_rollback_bug']);
const NO_VERSION: Record<string, tls.SecureVersion> = { no_tlsv1: 'TLSv1', no_tlsv1_1: 'TLSv1.1', no_tlsv1_2: 'TLSv1.2', no_tlsv1_3: 'TLSv1.3' };
const VERIFY = new Set(['none', 'peer', 'client_once', 'fail_if_no_peer_cert']);

/** SSL_CIPHER_description's fields for the suites Node negotiates (ssl.lua's info() parses them). */
function describeCipher(name: string): { key: string; authentication: string; encryption: string; mac: string; bits: number } | null {
  const enc = (n: string): [string, number] | null => {
    if (/AES_?256[_-]GCM/.test(n)) return ['AESGCM(256)', 256];
    if (/AES_?128[_-]GCM/.test(n)) return ['AESGCM(128)', 128];
    if (/CHACHA20[_-]POLY1305/.test(n)) return ['CHACHA20/POLY1305(256)', 256];
    if (/AES_?128[_-]CCM/.test(n)) return ['AESCCM(128)', 128];
    if (/AES256/.test(n)) return ['AES(256)', 256];
    if (/AES128/.test(n)) return ['AES(128)', 128];
    return null;
  };
  const e = enc(name);
  if (!e) return null;
  if (name.startsWith('TLS_')) return { key: 'any', authentication: 'any', encryption: e[0], mac: 'AEAD', bits: e[1] };
  const parts = name.split('-');
  const key = parts[0] === 'ECDHE' ? 'ECDH' : parts[0] === 'DHE' ? 'DH' : 'RSA';
  const authentication = parts[0] === 'ECDHE' || parts[0] === 'DHE' ? (parts[1] === 'ECDSA' ? 'ECDSA' : 'RSA') : 'RSA';
  const mac = /GCM|POLY1305|CCM/.test(name) ? 'AEAD' : name.endsWith('SHA384') ? 'SHA384' : name.endsWith('SHA256') ? 'SHA256' : 'SHA1';
  return { key, authentication, encryption: e[0], mac, bits: e[1] };
}

function fileError(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { reason?: string };
  if (err.code === 'ENOENT') return 'No such file or directory';
  if (err.code === 'EACCES') return 'Permission denied';
  if (err.code === 'ERR_MISSING_PASSPHRASE') return 'no password given';
  return err.reason ?? err.message.replace(/^error:[0-9A-F]+:[^:]*:[^:]*:/, '');
}

export class SslCore {
  private readonly args: LuaArgs;
  private readonly x509: X509Objects;
  private readonly contexts: UdataClass<ContextObject>;
  private readonly conns: UdataClass<SslConn>;

  constructor(private readonly api: LuaApi, private readonly tcp: TcpObjects) {
    this.args = new LuaArgs(api);
    this.x509 = new X509Objects(api);
    this.contexts = new UdataClass<ContextObject>(api, { name: 'SSL:Context', methods: () => ({}), tostring: (_o, a) => `SSL context: ${a}` });
    this.conns = new UdataClass<SslConn>(api, {
      name: 'SSL:Connection',
      methods: () => this.methods(),
      tostring: (c, a) => `SSL connection: ${a}${c.state === 'closed' ? ' (closed)' : ''}`,
      collect: (c) => this.closeConn(c),
    });
  }

  /** The value on top of the stack as a list of strings: a string, or a table's array part (null for a non-string). */
  private stringList(L: number): (string | null)[] {
    const { api } = this;
    if (api.type(L, -1) === LuaType.String) return [api.toText(L, -1)];
    if (api.type(L, -1) !== LuaType.Table) return [null];
    const out: (string | null)[] = [];
    const n = api.m._lua_rawlen(L, -1);
    for (let i = 1; i <= n; i++) {
      api.m._lua_rawgeti(L, -1, BigInt(i));
      out.push(api.type(L, -1) === LuaType.String ? api.toText(L, -1) : null);
      api.m._lua_settop(L, -2);
    }
    return out;
  }

  /** The optional string field `name` of the table at idx (null when absent). */
  private field(L: number, idx: number, name: string): { type: LuaType; text: string | null } {
    const type = this.api.getField(L, idx, name);
    const text = type === LuaType.String || type === LuaType.Number ? this.api.toText(L, -1) : null;
    this.api.m._lua_settop(L, -2);
    return { type, text };
  }

  /**
   * newcontext(cfg) → ctx | nil, msg: LuaSec's checks in LuaSec's order (protocol, mode, keys and
   * certificates, CA locations, ciphers, verify, options, depth, dhparam, curves, ALPN). Password
   * functions were called by lua/ssl.lua already. Files are read here, so a missing one fails here.
   */
  newcontext(L: number): number {
    const { api } = this;
    const fail = (msg: string): number => this.args.fail(L, msg);
    const protocol = this.field(L, 1, 'protocol');
    if (protocol.text === null) throw new LuaScriptError(`bad argument #1 to 'create' (string expected, got ${protocol.type === LuaType.Nil ? 'nil' : LuaType[protocol.type]!.toLowerCase()})`);
    const range = PROTOCOLS[protocol.text];
    if (!range) return fail(`invalid protocol (${protocol.text})`);
    const mode = this.field(L, 1, 'mode');
    if (mode.text === null) throw new LuaScriptError(`bad argument #2 to 'setmode' (string expected, got ${mode.type === LuaType.Nil ? 'nil' : LuaType[mode.type]!.toLowerCase()})`);
    const invalidMode = mode.text !== 'client' && mode.text !== 'server';
    const spec: TlsContextSpec = { mode: mode.text === 'server' ? 'server' : 'client', minVersion: range[0], maxVersion: range[1], verifyPeer: mode.text !== 'server', requirePeerCert: false };

    // certificates = { {certificate=, key=, password=}, … } or the three fields at top level.
    const entries: { certificate: string | null; key: string | null; password: string | null; badPassword: boolean }[] = [];
    const readEntry = (idx: number): void => {
      const pw = this.field(L, idx, 'password');
      entries.push({
        certificate: this.field(L, idx, 'certificate').text, key: this.field(L, idx, 'key').text,
        password: pw.type === LuaType.String ? pw.text : null, badPassword: pw.type !== LuaType.Nil && pw.type !== LuaType.String,
      });
    };
    if (api.getField(L, 1, 'certificates') === LuaType.Table) {
      const n = api.m._lua_rawlen(L, -1);
      for (let i = 1; i <= n; i++) { api.m._lua_rawgeti(L, -1, BigInt(i)); if (api.type(L, -1) === LuaType.Table) readEntry(api.top(L)); api.m._lua_settop(L, -2); }
    } else readEntry(1);
    api.m._lua_settop(L, -2);
    const certs: string[] = [];
    const keys: { pem: string; passphrase?: string }[] = [];
    for (const e of entries) {
      let key: crypto.KeyObject | null = null;
      if (e.key) {
        if (e.badPassword) return fail('invalid password type');
        let pem: string;
        try {
          pem = fs.readFileSync(e.key, 'latin1');
          key = nodeCrypto().createPrivateKey({ key: pem, passphrase: e.password ?? undefined });
        } catch (err) {
          return fail(`error loading private key (${fileError(err)})`);
        }
        keys.push({ pem, ...(e.password !== null ? { passphrase: e.password } : {}) });
      }
      if (e.certificate) {
        let pem: string;
        let leaf: crypto.X509Certificate;
        try {
          pem = fs.readFileSync(e.certificate, 'latin1');
          leaf = new (nodeCrypto().X509Certificate)(pem);
        } catch (err) {
          return fail(`error loading certificate (${fileError(err)})`);
        }
        if (key && !leaf.checkPrivateKey(key)) return fail('private key does not match public key');
        certs.push(pem);
      }
    }
    if (certs.length) spec.cert = certs.join('\n');
    if (keys.length) spec.key = keys.map((k) => k.pem).join('\n');
    const passphrases = keys.map((k) => k.passphrase).filter((p) => p !== undefined);
    if (passphrases.length) spec.passphrase = passphrases[0];

    const cafile = this.field(L, 1, 'cafile').text;
    const capath = this.field(L, 1, 'capath').text;
    if (cafile) {
      try { fs.accessSync(cafile, fs.constants.R_OK); } catch (err) { return fail(`error loading CA locations (${fileError(err)})`); }
      spec.cafile = cafile;
    }
    // OpenSSL looks into a CA directory only when it needs an issuer: a missing one is no error.
    if (capath && fs.statSync(capath, { throwIfNoEntry: false })?.isDirectory()) spec.capath = capath;

    const ciphers = this.field(L, 1, 'ciphers').text;
    const ciphersuites = this.field(L, 1, 'ciphersuites').text;
    for (const [opt, value] of [['ciphers', ciphers], ['ciphersuites', ciphersuites]] as const) {
      if (value === null) continue;
      try {
        // node:tls is loaded only here (a context naming ciphers): every VM boots with this module,
        // and loading node:tls up front cost ~3.7 ms of `print("hi")`.
        (require('node:tls') as typeof tls).createSecureContext({ [opt]: value } as tls.SecureContextOptions);
      } catch (err) {
        return fail(`error setting cipher list (${fileError(err).toLowerCase()})`);
      }
      spec[opt] = value;
    }

    if (api.getField(L, 1, 'verify') !== LuaType.Nil) {
      const flags = this.stringList(L);
      for (const f of flags) if (f === null || !VERIFY.has(f)) { api.m._lua_settop(L, -2); return fail(`invalid verify option (${f})`); }
      spec.verifyPeer = flags.includes('peer');
      spec.requirePeerCert = spec.mode === 'server' && flags.includes('peer') && flags.includes('fail_if_no_peer_cert');
      spec.verifyGiven = true;
    }
    api.m._lua_settop(L, -2);

    if (api.getField(L, 1, 'options') !== LuaType.Nil) {
      const opts = this.stringList(L);
      for (const o of opts) if (o === null || !OPTIONS.has(o)) { api.m._lua_settop(L, -2); return fail(`invalid option (${o})`); }
      const allowed = VERSIONS.filter((v) => !opts.some((o) => o !== null && NO_VERSION[o] === v)
        && VERSIONS.indexOf(v) >= VERSIONS.indexOf(spec.minVersion ?? 'TLSv1') && VERSIONS.indexOf(v) <= VERSIONS.indexOf(spec.maxVersion ?? 'TLSv1.3'));
      if (allowed.length) { spec.minVersion = allowed[0]; spec.maxVersion = allowed[allowed.length - 1]; }
    }
    api.m._lua_settop(L, -2);

    const dh = this.field(L, 1, 'dhparam');
    if (dh.type !== LuaType.Nil && dh.type !== LuaType.Function) return fail('invalid DH parameter type');
    const curve = this.field(L, 1, 'curveslist').text ?? this.field(L, 1, 'curve').text;
    if (curve) spec.ecdhCurve = curve;

    const alpnType = api.getField(L, 1, 'alpn');
    if (alpnType !== LuaType.Nil) {
      const okType = spec.mode === 'client' ? alpnType === LuaType.String || alpnType === LuaType.Table : alpnType === LuaType.Table;
      if (spec.mode === 'server' && alpnType === LuaType.Function) { api.m._lua_settop(L, -2); return fail('luahttp: ALPN selection functions (server alpn = function) are not supported'); }
      if (!okType) { api.m._lua_settop(L, -2); return fail('invalid ALPN parameter'); }
      const names = this.stringList(L);
      api.m._lua_settop(L, -2);
      if (names.length === 0) return fail('invalid ALPN list (empty)');
      for (const n of names) {
        if (n === null) { api.pushNil(L); api.pushNil(L); return 2; }
        if (n.length === 0) return fail('invalid ALPN name (empty string)');
        if (n.length > 255) return fail('invalid ALPN name (length > 255)');
      }
      spec.alpn = names as string[];
    } else api.m._lua_settop(L, -2);

    this.contexts.push(L, { spec, invalidMode });
    return 1;
  }

  /** wrap(sock, ctx): a connection that takes sock's connection over; sock is left without one (getfd -1). */
  wrap(L: number): number {
    const ctx = this.contexts.test(L, 2);
    if (!ctx) return this.api.argError(L, 2, 'invalid context');
    if (ctx.invalidMode) return this.args.fail(L, 'invalid mode');
    const o = this.tcp.check(L, ['master', 'client', 'server'], 'tcp{any}');
    const t = this.tcp.newObject('client', o.family);
    t.id = o.id;
    t.local = o.local;
    t.remote = o.remote;
    t.timeoutText = { recv: 'wantread', send: 'wantwrite' };
    const fd = o.fd;
    const unread = o.pos < o.buf.length ? o.buf.slice(o.pos) : null;
    this.tcp.freeFd(o);
    if (fd >= 0) this.tcp.setFd(t, fd);
    this.conns.push(L, { t, spec: ctx.spec, state: 'new', sni: null, unread, want: 'nothing' });
    return 1;
  }

  loadcertificate(L: number): number {
    return this.x509.load(L);
  }

  private closeConn(c: SslConn): void {
    if (c.t.fd >= 0) this.tcp.closeObject(c.t);
    c.state = 'closed';
  }

  private *handshake(L: number, c: SslConn): OpSteps {
    const { api } = this;
    const result = (ok: boolean, msg?: string): number => {
      api.pushBoolean(L, ok);
      if (ok) return 1;
      api.pushText(L, msg!);
      return 2;
    };
    if (c.state === 'connected') return result(true);
    if (c.state === 'closed') return result(false, 'closed');
    if (c.state === 'failed') return result(false, c.error!);
    if (c.t.fd < 0) return result(false, 'Bad file descriptor');
    c.t.start = now();
    const spec: TlsContextSpec = c.serverSni ? { ...c.spec, sniContexts: c.serverSni.contexts, sniStrict: c.serverSni.strict } : c.spec;
    const r = yield* op<{ info?: HandshakeInfo; error?: string; pending?: 'read' | 'write' }>({
      op: 'sock.handshake', id: c.t.id, spec, sni: c.sni, unread: c.state === 'new' ? c.unread : null, waitMs: retryMs(c.t),
    });
    c.state = 'handshaking';
    c.unread = null;
    if (r.pending) { c.want = r.pending; return result(false, r.pending === 'write' ? 'wantwrite' : 'wantread'); }
    c.want = 'nothing';
    if (r.error !== undefined) { c.state = 'failed'; c.error = r.error; return result(false, r.error); }
    c.state = 'connected';
    c.info = r.info;
    return result(true);
  }

  private *send(L: number, c: SslConn): OpSteps {
    if (c.state !== 'connected') {
      this.api.pushNil(L);
      this.api.pushText(L, 'closed');
      this.api.pushNumber(L, 0);
      return 3;
    }
    return yield* this.tcp.sendOn(L, c.t);
  }

  private *receive(L: number, c: SslConn): OpSteps {
    if (c.state !== 'connected') {
      this.api.pushNil(L);
      this.api.pushText(L, 'closed');
      this.api.pushText(L, '');
      return 3;
    }
    const n = yield* this.tcp.receiveOn(L, c.t);
    c.want = this.api.toText(L, -2) === 'wantread' ? 'read' : 'nothing';
    return n;
  }

  private methods(): Record<string, LuaCFunction> {
    const { api } = this;
    const conn = (L: number): SslConn => this.conns.check(L, 1);
    const closed = (L: number, extra?: () => void): number => {
      api.pushNil(L);
      api.pushText(L, 'closed');
      if (extra) { extra(); return 3; }
      return 2;
    };
    const pushCert = (L: number, der: Uint8Array | undefined): void => {
      if (der) this.x509.push(L, der); else api.pushNil(L);
    };
    return {
      /** dohandshake() → true | false, msg ("wantread" when the wait timed out: call it again). */
      dohandshake: this.tcp.waiting((L) => this.handshake(L, conn(L))),
      send: this.tcp.waiting((L) => this.send(L, conn(L))),
      receive: this.tcp.waiting((L) => this.receive(L, conn(L))),
      settimeout: (L) => { applySetTimeout(api, this.args, L, conn(L).t); api.pushNumber(L, 1); return 1; },
      close: (L) => { this.closeConn(conn(L)); return 0; },
      getfd: (L) => { api.pushNumber(L, conn(L).t.fd); return 1; },
      setfd: (L) => {
        const c = conn(L);
        if (c.state !== 'new') return api.argError(L, 1, 'invalid SSL object state');
        this.tcp.setFd(c.t, Math.trunc(this.args.checkNumber(L, 2)));
        return 0;
      },
      dirty: (L) => { const c = conn(L); api.pushBoolean(L, c.state === 'connected' && c.t.pos < c.t.buf.length); return 1; },
      want: (L) => { const c = conn(L); api.pushText(L, c.state === 'closed' ? 'nothing' : c.want); return 1; },
      getstats: (L) => {
        const { t } = conn(L);
        api.pushNumber(L, t.received);
        api.pushNumber(L, t.sent);
        api.pushNumber(L, now() - t.birthday);
        return 3;
      },
      setstats: (L) => {
        const { t } = conn(L);
        t.received = this.args.optNumber(L, 2, 0);
        t.sent = this.args.optNumber(L, 3, 0);
        t.birthday = now() - this.args.optNumber(L, 4, 0);
        api.pushNumber(L, 1);
        return 1;
      },
      /**
       * sni(name) on a client: the server name it sends (and verifies the certificate against).
       * sni({[name] = context, …} [, strict]) on a server: the context for each name a client asks for;
       * strict refuses other names.
       */
      sni: (L) => {
        const c = conn(L);
        if (c.spec.mode === 'client') { c.sni = this.args.checkString(L, 2); return 0; }
        if (api.type(L, 2) !== LuaType.Table) return api.argError(L, 2, `table expected, got ${this.args.typeName(L, 2)}`);
        const contexts: Record<string, TlsContextSpec> = {};
        api.pushNil(L);
        while (api.m._lua_next(L, 2)) {
          const name = api.type(L, -2) === LuaType.String ? api.toText(L, -2) : null;
          const ctx = this.contexts.test(L, api.top(L));
          if (name === null || !ctx) return api.argError(L, 2, 'invalid SNI table (names → contexts)');
          contexts[name] = ctx.spec;
          api.m._lua_settop(L, -2);
        }
        c.serverSni = { contexts, strict: api.toBoolean(L, 3) };
        return 0;
      },
      getsniname: (L) => {
        const c = conn(L);
        const name = c.spec.mode === 'client' ? c.sni : c.info?.servername ?? null;
        if (name) api.pushText(L, name); else api.pushNil(L);
        return 1;
      },
      getalpn: (L) => {
        const c = conn(L);
        if (c.info?.alpn) api.pushText(L, c.info.alpn); else api.pushNil(L);
        return 1;
      },
      /** info([field]): cipher, protocol, key, authentication, encryption, mac, bits, algbits, export. */
      info: (L) => {
        const c = conn(L);
        if (c.state !== 'connected' || !c.info) return closed(L);
        const field = api.type(L, 2) <= LuaType.Nil ? null : this.args.checkString(L, 2);
        const d = c.info.cipher ? describeCipher(c.info.cipher) : null;
        const values: Record<string, string | number | boolean> = {};
        if (c.info.cipher) values.cipher = c.info.cipher;
        if (c.info.protocol) values.protocol = c.info.protocol;
        if (d) Object.assign(values, { key: d.key, authentication: d.authentication, encryption: d.encryption, mac: d.mac, bits: d.bits, algbits: d.bits, export: false });
        const push = (v: string | number | boolean | undefined): void => {
          if (typeof v === 'string') api.pushText(L, v);
          else if (typeof v === 'number') api.pushNumber(L, v);
          else if (typeof v === 'boolean') api.pushBoolean(L, v);
          else api.pushNil(L);
        };
        if (field !== null) { push(field === 'compression' ? undefined : values[field]); return 1; }
        api.m._lua_createtable(L, 0, 10);
        for (const [k, v] of Object.entries(values)) { push(v); api.setField(L, -2, k); }
        return 1;
      },
      getpeercertificate: (L) => {
        const c = conn(L);
        if (c.state !== 'connected' || !c.info) return closed(L);
        const n = Math.trunc(this.args.optNumber(L, 2, 1));
        if (n < 1) return this.args.fail(L, 'invalid certificate index');
        pushCert(L, c.info.peerChain[n - 1]);
        return 1;
      },
      getpeerchain: (L) => {
        const c = conn(L);
        if (c.state !== 'connected' || !c.info) return closed(L);
        api.m._lua_createtable(L, c.info.peerChain.length, 0);
        c.info.peerChain.forEach((der, i) => { this.x509.push(L, der); api.m._lua_rawseti(L, -2, BigInt(i + 1)); });
        return 1;
      },
      /** getpeerverification() → true | false, OpenSSL's reason (only reachable with verify = "none"). */
      getpeerverification: (L) => {
        const c = conn(L);
        if (c.state !== 'connected' || !c.info) { api.pushBoolean(L, false); api.pushText(L, 'closed'); return 2; }
        if (!c.info.verifyError) { api.pushBoolean(L, true); return 1; }
        api.pushBoolean(L, false);
        api.pushText(L, c.info.verifyError);
        return 2;
      },
      /** exportkeyingmaterial(label, length [, context]) → bytes; nothing when not connected (LuaSec). */
      exportkeyingmaterial: (L) => {
        const c = conn(L);
        const label = this.args.checkString(L, 2);
        const length = Math.trunc(this.args.checkNumber(L, 3));
        const context = api.type(L, 4) <= LuaType.Nil ? null : api.checkBytes(L, 4);
        if (c.state !== 'connected') return 0;
        if (length === 0) { api.pushText(L, ''); return 1; } // Node refuses a length of 0; OpenSSL gives ""
        const r = this.tcp.call<{ material: Uint8Array | null }>({ op: 'sock.keyingmaterial', id: c.t.id, label, length, context });
        if (!r.material) return 0;
        api.pushBytes(L, r.material);
        return 1;
      },
      getfinished: (L) => {
        const c = conn(L);
        if (c.state !== 'connected' || !c.info) return closed(L);
        if (!c.info.finished) return 0;
        api.pushBytes(L, c.info.finished);
        return 1;
      },
      getpeerfinished: (L) => {
        const c = conn(L);
        if (c.state !== 'connected' || !c.info) return closed(L);
        if (!c.info.peerFinished) return 0;
        api.pushBytes(L, c.info.peerFinished);
        return 1;
      },
    };
  }

  coreFunctions(): Record<string, LuaCFunction> {
    return {
      newcontext: (L) => this.newcontext(L),
      wrap: (L) => this.wrap(L),
      loadcertificate: (L) => this.loadcertificate(L),
    };
  }
}
