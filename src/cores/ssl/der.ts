// Just enough DER to read what LuaSec's x509 methods report and Node's X509Certificate does not
// expose in that shape: the Name entries in order with their OIDs, the validity times as instants,
// the serial's integer bytes and the subjectAltName general names.

export interface DerNode {
  /** The identifier octet (class, constructed bit, tag number < 31). */
  tag: number;
  /** Content bytes. */
  body: Uint8Array;
  /** Offset just past this node in the buffer it was read from. */
  end: number;
}

export function readNode(buf: Uint8Array, pos: number): DerNode {
  const tag = buf[pos]!;
  if ((tag & 0x1f) === 0x1f) throw new Error('DER: high tag numbers are not used in certificates');
  let len = buf[pos + 1]!;
  let off = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('DER: bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[off + i]!;
    off += n;
  }
  if (off + len > buf.length) throw new Error('DER: truncated');
  return { tag, body: buf.subarray(off, off + len), end: off + len };
}

/** The children of a constructed node. */
export function children(node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  for (let pos = 0; pos < node.body.length;) {
    const c = readNode(node.body, pos);
    out.push(c);
    pos = c.end;
  }
  return out;
}

/** OBJECT IDENTIFIER content → dotted text (OpenSSL's OBJ_obj2txt with no_name = 1). */
export function oidText(body: Uint8Array): string {
  const arcs: bigint[] = [];
  let v = 0n;
  for (const b of body) {
    v = (v << 7n) | BigInt(b & 0x7f);
    if (!(b & 0x80)) { arcs.push(v); v = 0n; }
  }
  const first = arcs[0] ?? 0n;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

/** UTCTime / GeneralizedTime content → seconds since the epoch. */
export function timeSeconds(node: DerNode): number {
  const s = Buffer.from(node.body).toString('latin1');
  const m = node.tag === 0x17
    ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/.exec(s)
    : /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(?:\.\d+)?Z$/.exec(s);
  if (!m) throw new Error(`DER: unsupported time ${s}`);
  let year = Number(m[1]);
  if (node.tag === 0x17) year += year < 50 ? 2000 : 1900; // RFC 5280 §4.1.2.5.1
  return Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) / 1000;
}

/** The parts of a certificate's TBSCertificate the x509 methods need. */
export interface CertFields {
  serial: Uint8Array;
  issuer: DerNode;
  subject: DerNode;
  notBefore: number;
  notAfter: number;
  signatureOid: string;
  /** extnValue contents by extension OID, in certificate order. */
  extensions: { oid: string; value: Uint8Array }[];
}

export function certFields(der: Uint8Array): CertFields {
  const [tbs, sigAlg] = children(readNode(der, 0));
  let parts = children(tbs!);
  if (parts[0]!.tag === 0xa0) parts = parts.slice(1); // [0] version
  const [serial, , issuer, validity, subject] = parts;
  const [nb, na] = children(validity!);
  const extensions: CertFields['extensions'] = [];
  const extWrap = parts.find((p) => p.tag === 0xa3);
  if (extWrap) {
    for (const ext of children(children(extWrap)[0]!)) {
      const e = children(ext);
      extensions.push({ oid: oidText(e[0]!.body), value: e[e.length - 1]!.body });
    }
  }
  return {
    serial: serial!.body, issuer: issuer!, subject: subject!, notBefore: timeSeconds(nb!), notAfter: timeSeconds(na!),
    signatureOid: oidText(children(sigAlg!)[0]!.body), extensions,
  };
}
