// Test certificates made with the openssl CLI in a temp dir (Node cannot create certificates): a
// self-signed CA, leaves for localhost/127.0.0.1, for another name, an expired one, and a capath
// directory. Private keys never leave the temp dir; remove() deletes it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestCerts {
  dir: string;
  caFile: string;
  /** A directory holding only the CA (for `capath`). */
  caPath: string;
  /** `client` is a client certificate (extendedKeyUsage clientAuth) (CN=client). */
  leaf(name: 'localhost' | 'other' | 'expired' | 'client'): { key: Buffer; cert: Buffer };
  remove(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makeTestCerts(): TestCerts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-tls-'));
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30',
    '-subj', '/CN=luahttp test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const sans: Record<string, string> = {
    localhost: 'DNS:localhost,IP:127.0.0.1,IP:::1',
    other: 'DNS:other.example',
    expired: 'DNS:localhost,IP:127.0.0.1',
    client: 'email:client@luahttp.test',
  };
  fs.mkdirSync(path.join(dir, 'db'));
  fs.writeFileSync(path.join(dir, 'db/index.txt'), '');
  fs.writeFileSync(path.join(dir, 'db/serial'), '1000\n');
  for (const [name, san] of Object.entries(sans)) {
    openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
    // `openssl ca` (not x509 -req) because OpenSSL 3.0's x509 cannot set a start date in the past.
    fs.writeFileSync(path.join(dir, `${name}.cnf`), `[ca]
default_ca = d
[d]
database = db/index.txt
serial = db/serial
new_certs_dir = db
default_md = sha256
policy = p
unique_subject = no
[p]
commonName = supplied
[ext]
subjectAltName = ${san}
basicConstraints = CA:FALSE
extendedKeyUsage = ${name === 'client' ? 'clientAuth' : 'serverAuth'}
`);
    const dates = name === 'expired' ? ['-startdate', '20200101000000Z', '-enddate', '20200102000000Z'] : ['-days', '30'];
    openssl(dir, ['ca', '-batch', '-config', `${name}.cnf`, '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', `${name}.csr`,
      '-out', `${name}.pem`, '-extensions', 'ext', '-notext', ...dates]);
  }
  // The client key again, encrypted (PKCS#8, password "s3cret"), for `key` + `password` tests.
  openssl(dir, ['pkcs8', '-topk8', '-in', 'client.key', '-out', 'client-enc.key', '-passout', 'pass:s3cret', '-v2', 'aes-256-cbc']);
  const caPath = path.join(dir, 'capath');
  fs.mkdirSync(caPath);
  fs.copyFileSync(path.join(dir, 'ca.pem'), path.join(caPath, 'ca.pem'));
  return {
    dir,
    caFile: path.join(dir, 'ca.pem'),
    caPath,
    leaf: (name) => ({ key: fs.readFileSync(path.join(dir, `${name}.key`)), cert: fs.readFileSync(path.join(dir, `${name}.pem`)) }),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
