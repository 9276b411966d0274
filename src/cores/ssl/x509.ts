// LuaSec's certificate objects (x509.c, class "SSL:Certificate"): subject/issuer as lists of
// {oid, name, value}, notbefore/notafter as OpenSSL prints them, digest as lowercase hex, pubkey as
// PEM + type + bits, serial as BN_bn2hex, extensions (subjectAltName, as LuaSec reads only that one),
// pem, validat, getsignaturename, setencode, and ssl.loadcertificate. Node's X509Certificate supplies
// the PEM, times and public key; the Name entries and general names come from the DER (der.ts).
import type { X509Certificate } from 'node:crypto';
import type { LuaApi, LuaCFunction } from '../../vm/lua-api.js';
import { LuaType } from '../../vm/lua-api.js';
import { LuaArgs } from '../socket/lua-args.js';
import { certFields, children, oidText, readNode, type CertFields, type DerNode } from './der.js';
import { UdataClass } from './udata-class.js';

/** node:crypto, required on first use (also by ssl-core.ts): start-up does not pay for it. */
export const nodeCrypto = (): typeof import('node:crypto') => require('node:crypto') as typeof import('node:crypto');

export interface CertObject {
  der: Uint8Array;
  /** setencode(): "ai5" pushes ASN.1 string bytes as they are, "utf8" converts them (LuaSec's two modes). */
  encode: 'ai5' | 'utf8';
  fields?: CertFields;
  x509?: X509Certificate;
}

/** OpenSSL's long names (OBJ_obj2txt with no_name = 0) for the attributes certificates carry. */
const LONG_NAMES: Record<string, string> = {
  '2.5.4.3': 'commonName', '2.5.4.4': 'surname', '2.5.4.5': 'serialNumber', '2.5.4.6': 'countryName',
  '2.5.4.7': 'localityName', '2.5.4.8': 'stateOrProvinceName', '2.5.4.9': 'streetAddress',
  '2.5.4.10': 'organizationName', '2.5.4.11': 'organizationalUnitName', '2.5.4.12': 'title',
  '2.5.4.15': 'businessCategory', '2.5.4.17': 'postalCode', '2.5.4.42': 'givenName', '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier', '2.5.4.46': 'dnQualifier', '2.5.4.65': 'pseudonym',
  '1.2.840.113549.1.9.1': 'emailAddress', '0.9.2342.19200300.100.1.25': 'domainComponent',
  '0.9.2342.19200300.100.1.1': 'userId', '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionCountryName',
  '2.5.29.17': 'X509v3 Subject Alternative Name', '1.3.6.1.4.1.311.20.2.3': 'Microsoft User Principal Name',
};

/** OBJ_nid2sn of the signature algorithm (getsignaturename). */
const SIGNATURE_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'RSA-MD5', '1.2.840.113549.1.1.5': 'RSA-SHA1', '1.2.840.113549.1.1.11': 'RSA-SHA256',
  '1.2.840.113549.1.1.12': 'RSA-SHA384', '1.2.840.113549.1.1.13': 'RSA-SHA512', '1.2.840.113549.1.1.14': 'RSA-SHA224',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS', '1.2.840.10045.4.1': 'ecdsa-with-SHA1', '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384', '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512', '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

/** EVP_PKEY_bits for named curves (the key object reports only the curve's name). */
const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256, secp224r1: 224 };

const SAN_OID = '2.5.29.17';

/** The ASN.1 string's bytes, converted to UTF-8 in "utf8" mode as ASN1_STRING_to_UTF8 does. */
function asn1String(node: DerNode, encode: 'ai5' | 'utf8'): Uint8Array {
  if (encode === 'ai5') return node.body;
  const b = Buffer.from(node.body);
  switch (node.tag) {
    case 0x1e: { // BMPString: UTF-16BE
      const le = Buffer.alloc(b.length);
      for (let i = 0; i + 1 < b.length; i += 2) { le[i] = b[i + 1]!; le[i + 1] = b[i]!; }
      return Buffer.from(le.toString('utf16le'), 'utf8');
    }
    case 0x1c: { // UniversalString: UTF-32BE
      let s = '';
      for (let i = 0; i + 3 < b.length; i += 4) s += String.fromCodePoint(b.readUInt32BE(i));
      return Buffer.from(s, 'utf8');
    }
    case 0x14: return Buffer.from(b.toString('latin1'), 'utf8'); // T61String, read as Latin-1 like OpenSSL
    default: return node.body;
  }
}

/** inet_ntop: dotted IPv4; IPv6 with the longest run (≥ 2) of zero groups as "::". */
export function ipText(b: Uint8Array): string | null {
  if (b.length === 4) return b.join('.');
  if (b.length !== 16) return null;
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push(b[i]! * 256 + b[i + 1]!);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `::ffff:${b.subarray(12).join('.')}`;
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export class X509Objects {
  readonly cls: UdataClass<CertObject>;
  private readonly args: LuaArgs;

  constructor(private readonly api: LuaApi) {
    this.args = new LuaArgs(api);
    this.cls = new UdataClass<CertObject>(api, {
      name: 'SSL:Certificate',
      methods: () => this.methods(),
      tostring: (_o, addr) => `X509 certificate: ${addr}`,
    });
  }

  /** Pushes a certificate object for DER bytes. */
  push(L: number, der: Uint8Array): void {
    this.cls.push(L, { der, encode: 'ai5' });
  }

  /** ssl.loadcertificate(pem): the first certificate of the PEM text, or nil. */
  load(L: number): number {
    const text = this.args.checkString(L, 1);
    const m = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/.exec(text);
    let der: Uint8Array | null = null;
    if (m) {
      try { der = new Uint8Array(new (nodeCrypto().X509Certificate)(m[0]).raw); } catch { der = null; }
    }
    if (!der) { this.api.pushNil(L); return 1; }
    this.push(L, der);
    return 1;
  }

  private fields(o: CertObject): CertFields {
    o.fields ??= certFields(o.der);
    return o.fields;
  }

  private x509(o: CertObject): X509Certificate {
    o.x509 ??= new (nodeCrypto().X509Certificate)(Buffer.from(o.der));
    return o.x509;
  }

  /** A Name as LuaSec's list of {oid=, name=, value=}. */
  private pushName(L: number, name: DerNode, encode: 'ai5' | 'utf8'): void {
    const { api } = this;
    const entries = children(name).flatMap((rdn) => children(rdn));
    api.m._lua_createtable(L, entries.length, 0);
    entries.forEach((atv, i) => {
      const [oidNode, value] = children(atv);
      const oid = oidText(oidNode!.body);
      api.m._lua_createtable(L, 0, 3);
      api.pushText(L, oid);
      api.setField(L, -2, 'oid');
      api.pushText(L, LONG_NAMES[oid] ?? oid);
      api.setField(L, -2, 'name');
      api.pushBytes(L, asn1String(value!, encode));
      api.setField(L, -2, 'value');
      api.m._lua_rawseti(L, -2, BigInt(i + 1));
    });
  }

  /** subjectAltName as LuaSec's extensions() table: ret[oid] = {name=, dNSName={…}, iPAddress={…}, …}. */
  private pushExtensions(L: number, o: CertObject): void {
    const { api } = this;
    api.m._lua_createtable(L, 0, 1);
    for (const ext of this.fields(o).extensions) {
      if (ext.oid !== SAN_OID) continue;
      const groups = new Map<string, { name?: string; values: Uint8Array[] }>();
      const add = (key: string, v: Uint8Array | null, name?: string): void => {
        let g = groups.get(key);
        if (!g) { g = { name, values: [] }; groups.set(key, g); }
        if (v) g.values.push(v);
      };
      for (const gn of children(readNode(ext.value, 0))) {
        switch (gn.tag) {
          case 0xa0: { // otherName: type-id, [0] EXPLICIT value
            const [typeId, wrapped] = children(gn);
            const oid = oidText(typeId!.body);
            const inner = wrapped ? children(wrapped)[0] : undefined;
            add(oid, inner ? asn1String(inner, o.encode) : null, LONG_NAMES[oid] ?? oid);
            break;
          }
          case 0x81: add('rfc822Name', asn1String({ ...gn, tag: 0x16 }, o.encode)); break;
          case 0x82: add('dNSName', asn1String({ ...gn, tag: 0x16 }, o.encode)); break;
          case 0x86: add('uniformResourceIdentifier', asn1String({ ...gn, tag: 0x16 }, o.encode)); break;
          case 0x87: { const t = ipText(gn.body); add('iPAddress', t === null ? null : Buffer.from(t)); break; }
          default: break; // x400Address, directoryName, ediPartyName, registeredID: LuaSec skips them too
        }
      }
      api.m._lua_createtable(L, 0, groups.size + 1);
      api.pushText(L, LONG_NAMES[SAN_OID]!);
      api.setField(L, -2, 'name');
      for (const [key, g] of groups) {
        api.m._lua_createtable(L, g.values.length, g.name ? 1 : 0);
        g.values.forEach((v, i) => { api.pushBytes(L, v); api.m._lua_rawseti(L, -2, BigInt(i + 1)); });
        if (g.name) { api.pushText(L, g.name); api.setField(L, -2, 'name'); }
        api.setField(L, -2, key);
      }
      api.setField(L, -2, SAN_OID);
    }
  }

  private methods(): Record<string, LuaCFunction> {
    const { api } = this;
    const cert = (L: number): CertObject => this.cls.check(L, 1);
    return {
      /** subject(): the subject Name entries in certificate order. */
      subject: (L) => { const o = cert(L); this.pushName(L, this.fields(o).subject, o.encode); return 1; },
      issuer: (L) => { const o = cert(L); this.pushName(L, this.fields(o).issuer, o.encode); return 1; },
      /** notbefore()/notafter(): ASN1_TIME_print's text ("Dec 25 06:39:33 2026 GMT"), which Node prints too. */
      notbefore: (L) => { api.pushText(L, this.x509(cert(L)).validFrom); return 1; },
      notafter: (L) => { api.pushText(L, this.x509(cert(L)).validTo); return 1; },
      /** digest([alg]): sha1 (default), sha256 or sha512 of the DER, lowercase hex. */
      digest: (L) => {
        const o = cert(L);
        const alg = this.args.optString(L, 2, 'sha1');
        if (alg !== 'sha1' && alg !== 'sha256' && alg !== 'sha512') return this.args.fail(L, `digest algorithm not supported (${alg})`);
        api.pushText(L, nodeCrypto().createHash(alg).update(o.der).digest('hex'));
        return 1;
      },
      /** pubkey(): PEM SubjectPublicKeyInfo, "RSA"/"DSA"/"DH"/"EC"/"Unknown", bits (integer). */
      pubkey: (L) => {
        const key = this.x509(cert(L)).publicKey;
        api.pushText(L, key.export({ type: 'spki', format: 'pem' }) as string);
        const type = key.asymmetricKeyType ?? '';
        api.pushText(L, ({ rsa: 'RSA', 'rsa-pss': 'RSA', dsa: 'DSA', dh: 'DH', ec: 'EC' } as Record<string, string>)[type] ?? 'Unknown');
        const d = key.asymmetricKeyDetails ?? {};
        const bits = d.modulusLength ?? (d.namedCurve ? CURVE_BITS[d.namedCurve] : undefined)
          ?? ({ ed25519: 253, x25519: 253, ed448: 456, x448: 448 } as Record<string, number>)[type] ?? 0;
        api.pushInteger(L, bits);
        return 3;
      },
      /** serial(): BN_bn2hex — uppercase, whole bytes, no leading zero bytes ("0" for zero). */
      serial: (L) => {
        const b = this.fields(cert(L)).serial;
        const negative = b.length > 0 && (b[0]! & 0x80) !== 0;
        let mag = Buffer.from(b);
        if (negative) { // two's complement magnitude
          let carry = 1;
          for (let i = mag.length - 1; i >= 0; i--) { const v = (~mag[i]! & 0xff) + carry; mag[i] = v & 0xff; carry = v >> 8; }
        }
        let i = 0;
        while (i < mag.length && mag[i] === 0) i++;
        mag = mag.subarray(i);
        api.pushText(L, mag.length ? `${negative ? '-' : ''}${mag.toString('hex').toUpperCase()}` : '0');
        return 1;
      },
      extensions: (L) => { this.pushExtensions(L, cert(L)); return 1; },
      pem: (L) => { api.pushText(L, this.x509(cert(L)).toString()); return 1; },
      /** validat(t): notBefore <= t <= notAfter (both ends included, as observed with LuaSec 1.2 on OpenSSL 3). */
      validat: (L) => {
        const o = cert(L);
        if (!api.m._lua_isinteger(L, 2)) {
          if (api.type(L, 2) === LuaType.Number) return api.argError(L, 2, 'number has no integer representation');
          this.args.checkNumber(L, 2);
        }
        const t = api.toNumber(L, 2);
        const f = this.fields(o);
        api.pushBoolean(L, f.notBefore <= t && t <= f.notAfter);
        return 1;
      },
      getsignaturename: (L) => {
        const oid = this.fields(cert(L)).signatureOid;
        api.pushText(L, SIGNATURE_NAMES[oid] ?? oid);
        return 1;
      },
      /** setencode("ai5"|"utf8") → true; anything else → false. */
      setencode: (L) => {
        const o = cert(L);
        const enc = this.args.checkString(L, 2);
        const ok = enc.startsWith('ai5') || enc.startsWith('utf8');
        if (ok) o.encode = enc.startsWith('ai5') ? 'ai5' : 'utf8';
        api.pushBoolean(L, ok);
        return 1;
      },
    };
  }
}
