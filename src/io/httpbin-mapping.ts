// `--httpbin`: scripts written for httpbin.org reach the bundled server; the URL and Host header stay
// httpbin.org. https://httpbin.org reaches the same plain server: offline there is no certificate.
import { parseConnectTo, type ConnectToRule } from './transport/connect-to.js';

export function httpbinRules(port: number): ConnectToRule[] {
  return ['httpbin.org', 'www.httpbin.org'].flatMap((host) => [
    parseConnectTo(`${host}:80:127.0.0.1:${port}`),
    { ...parseConnectTo(`${host}:443:127.0.0.1:${port}`), plaintext: true },
  ]);
}
