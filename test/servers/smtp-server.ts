// A loopback SMTP server for the socket.smtp / socket.tp differential scripts. It keeps every
// session's client bytes (commands, AUTH lines, DATA exactly as sent, dot-stuffing included) so a
// script can print what went over the wire: a connection that sends `XDUMP <token>` instead of
// EHLO gets the bytes of the latest session containing <token>, then the server closes.
//
// Behaviour is chosen by what the client sends, so concurrent scripts do not interfere:
//   EHLO reject.…   → 554                 EHLO noauth.… → no AUTH extension
//   EHLO plain.…    → AUTH PLAIN only      EHLO cut.…    → reply cut, connection closed
//   (e.g. "plain.my-script.test": the rest of the name keeps the session findable by XDUMP)
//   MAIL FROM containing "reject" → 553; containing "cut" → multi-line reply cut, connection closed
//   RCPT TO containing "nobody"   → multi-line 550
//   a message containing "X-Reject: yes" → 554 after DATA
//   AUTH accepts user "luser" with password "secret" (LOGIN or PLAIN), 535 otherwise.
import type net from 'node:net';
import { type SocketReader, startLineServer, write } from './line-server.js';

export interface SmtpServer {
  port: number;
  /** smtp://127.0.0.1:<port> — scripts take host and port from it. */
  url: string;
  close(): Promise<void>;
}

/** Bounded: the oldest transcripts go first. */
const MAX_SESSIONS = 500;

function b64decode(s: string): string {
  return Buffer.from(s.trim(), 'base64').toString('latin1');
}

export async function startSmtpServer(): Promise<SmtpServer> {
  const sessions: SocketReader[] = [];

  async function converse(sock: net.Socket, reader: SocketReader): Promise<void> {
    const reply = (text: string) => write(sock, text.split('\n').map((l) => `${l}\r\n`).join(''));
    const authenticate = (user: string, pass: string) =>
      reply(user === 'luser' && pass === 'secret' ? '235 2.7.0 Authentication successful' : '535 5.7.8 Authentication credentials invalid');
    reply('220 localhost ESMTP luahttp test server');
    let recorded = false;
    for (;;) {
      const line = await reader.line();
      if (line === null) return;
      const [verb = '', ...rest] = line.split(' ');
      const arg = rest.join(' ');
      const cmd = verb.toUpperCase();
      if (cmd === 'XDUMP') {
        const found = [...sessions].reverse().find((s) => s !== reader && s.transcript().toString('latin1').includes(arg));
        write(sock, found ? found.transcript() : Buffer.from('no such session\r\n', 'latin1'));
        return;
      }
      if (!recorded) {
        recorded = true;
        sessions.push(reader);
        if (sessions.length > MAX_SESSIONS) sessions.shift();
      }
      switch (cmd) {
        case 'EHLO':
          if (arg.startsWith('reject.')) reply('554 5.7.1 EHLO rejected');
          else if (arg.startsWith('cut.')) {
            sock.end('250-localhost greets cut.test\r\n250-AUTH LO');
            return;
          } else if (arg.startsWith('noauth.')) reply(`250-localhost greets ${arg}\n250-8BITMIME\n250 SIZE 1000000`);
          else if (arg.startsWith('plain.')) reply(`250-localhost greets ${arg}\n250-AUTH PLAIN\n250 8BITMIME`);
          else reply(`250-localhost greets ${arg}\n250-AUTH LOGIN PLAIN\n250-8BITMIME\n250 HELP`);
          break;
        case 'HELO':
          reply(`250 localhost greets ${arg}`);
          break;
        case 'AUTH': {
          const [mech = '', initial] = arg.split(' ');
          if (mech.toUpperCase() === 'PLAIN' && initial !== undefined) {
            const [, user = '', pass = ''] = b64decode(initial).split('\0');
            authenticate(user, pass);
          } else if (mech.toUpperCase() === 'LOGIN') {
            reply('334 VXNlcm5hbWU6');
            const user = await reader.line();
            if (user === null) return;
            reply('334 UGFzc3dvcmQ6');
            const pass = await reader.line();
            if (pass === null) return;
            authenticate(b64decode(user), b64decode(pass));
          } else reply('504 5.5.4 Unrecognized authentication type');
          break;
        }
        case 'MAIL':
          if (arg.includes('cut')) {
            sock.end('250-2.1.0 Sender ok so far\r\n250-2.1.0 but th');
            return;
          }
          reply(arg.includes('reject') ? '553 5.1.8 Sender address rejected' : '250 2.1.0 Ok');
          break;
        case 'RCPT':
          reply(arg.includes('nobody') ? '550-5.1.1 No such user here\n550 5.1.1 Try another mailbox' : '250 2.1.5 Ok');
          break;
        case 'DATA': {
          reply('354 End data with <CR><LF>.<CR><LF>');
          // The terminator may directly follow DATA's line (an empty message) or the message.
          const data = await reader.until('\r\n.\r\n');
          if (data === null) return;
          reply(data.toString('latin1').includes('X-Reject: yes') ? '554 5.6.0 Message rejected' : '250 2.0.0 Ok: queued');
          break;
        }
        case 'RSET':
        case 'NOOP':
          reply('250 2.0.0 Ok');
          break;
        case 'QUIT':
          reply('221 2.0.0 Bye');
          return;
        default:
          reply('502 5.5.2 Command not recognized');
      }
    }
  }

  const server = await startLineServer(converse);
  return { port: server.port, url: `smtp://127.0.0.1:${server.port}`, close: () => server.close() };
}
