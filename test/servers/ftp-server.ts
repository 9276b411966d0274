// A loopback FTP server for the socket.ftp differential scripts: in-memory files, passive (PASV,
// EPSV) and active (PORT, EPRT) data connections, and enough commands for ftp.get/put/command.
// Bytes are stored and sent as they are (TYPE is acknowledged, never applied), so binary data
// round-trips in both types.
//
// Fixed tree (read-only): /hello.txt, /bytes.bin (the 256 byte values, 3 times), /pub/readme.txt,
// /pub/empty.txt. Uploads go to /incoming/ only (553 elsewhere); scripts use names of their own.
// A session's client bytes are kept when it sends QUIT: RETR /.transcript/<user> returns those of
// the latest such session of <user>, so a script can print the commands that went over the wire.
//
// Behaviour chosen by the client: USER nopass → 230 without PASS; USER cut → a reply cut off by
// the server closing; PASS of user "bad" → 530; RETR cut.txt → 150 then the control connection
// closes mid-reply; RETR direct.txt → a 250 reply and no data connection; EPSV when the user is
// "badepsv" → a 229 without the (|||port|) part.
import net from 'node:net';
import { type SocketReader, type Tracker, startLineServer, write } from './line-server.js';

export interface FtpServer {
  port: number;
  /** ftp://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

const DATA_WAIT_MS = 10_000;
/** Uploads kept at most (bytes), so a runaway script cannot eat memory. */
const MAX_STORED = 64 * 1024 * 1024;

function allBytes(times: number): Buffer {
  const one = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) one[i] = i;
  return Buffer.concat(Array.from({ length: times }, () => one));
}

function resolvePath(cwd: string, arg: string): string {
  const parts = (arg.startsWith('/') ? arg : `${cwd}/${arg}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return `/${out.join('/')}`;
}

/** Resolves to the first connection on `srv`, or null after DATA_WAIT_MS. */
function firstConnection(srv: net.Server, track: Tracker): Promise<net.Socket | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      srv.close();
      resolve(null);
    }, DATA_WAIT_MS);
    srv.once('connection', (s) => {
      clearTimeout(timer);
      track.socket(s);
      srv.close();
      resolve(s);
    });
  });
}

export async function startFtpServer(): Promise<FtpServer> {
  const files = new Map<string, Buffer>([
    ['/hello.txt', Buffer.from('Hello from the luahttp FTP test server.\r\nSecond line.\r\n', 'latin1')],
    ['/bytes.bin', allBytes(3)],
    ['/pub/readme.txt', Buffer.from('read me\n', 'latin1')],
    ['/pub/empty.txt', Buffer.alloc(0)],
  ]);
  const dirs = new Set(['/', '/pub', '/incoming']);
  const transcripts = new Map<string, Buffer>();
  let stored = 0;

  async function converse(sock: net.Socket, reader: SocketReader, track: Tracker): Promise<void> {
    const reply = (text: string) => write(sock, text.split('\n').map((l) => `${l}\r\n`).join(''));
    let user = '';
    let loggedIn = false;
    let cwd = '/';
    let type = 'A';
    let passive: Promise<net.Socket | null> | null = null;
    let active: { host: string; port: number } | null = null;

    const listen = async (): Promise<number> => {
      const srv = track.server(net.createServer());
      passive = firstConnection(srv, track);
      active = null;
      await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
      return (srv.address() as net.AddressInfo).port;
    };
    const dataConnection = async (): Promise<net.Socket | null> => {
      if (passive) {
        const p = passive;
        passive = null;
        return p;
      }
      if (active) {
        const { host, port } = active;
        active = null;
        return new Promise((resolve) => {
          const s = track.socket(net.connect(port, host));
          const timer = setTimeout(() => { s.destroy(); resolve(null); }, DATA_WAIT_MS);
          s.once('connect', () => { clearTimeout(timer); resolve(s); });
          s.once('error', () => { clearTimeout(timer); resolve(null); });
        });
      }
      return null;
    };
    const sendData = async (payload: Buffer, opening: string): Promise<void> => {
      reply(opening);
      const data = await dataConnection();
      if (!data) {
        reply('425 Failed to establish connection.');
        return;
      }
      // 'finish': every byte handed to the kernel; the client reads the control reply after EOF.
      await new Promise<void>((r) => {
        data.once('finish', () => r());
        data.once('close', () => r());
        data.end(payload);
      });
      reply('226 Transfer complete.');
    };
    const listing = (dir: string, long: boolean): string => {
      const names = [...files.keys(), ...dirs]
        .filter((p) => p !== dir && p.startsWith(dir === '/' ? '/' : `${dir}/`))
        .map((p) => p.slice(dir === '/' ? 1 : dir.length + 1))
        .filter((n) => n !== '' && !n.includes('/'))
        .sort();
      return names.map((n) => {
        if (!long) return `${n}\r\n`;
        const full = resolvePath(dir, n);
        const f = files.get(full);
        return f ? `-rw-r--r--    1 ftp      ftp      ${String(f.length).padStart(8)} Jan 01  2026 ${n}\r\n`
          : `drwxr-xr-x    2 ftp      ftp          4096 Jan 01  2026 ${n}\r\n`;
      }).join('');
    };

    reply('220-luahttp test FTP server\n220 Ready.');
    for (;;) {
      const line = await reader.line();
      if (line === null) return;
      const space = line.indexOf(' ');
      const cmd = (space < 0 ? line : line.slice(0, space)).toUpperCase();
      const arg = space < 0 ? '' : line.slice(space + 1);
      if (!loggedIn && !['USER', 'PASS', 'QUIT'].includes(cmd)) {
        reply('530 Please login with USER and PASS.');
        continue;
      }
      switch (cmd) {
        case 'USER':
          user = arg;
          if (user === 'cut') {
            sock.end('331-Please');
            return;
          }
          if (user === 'nopass') {
            loggedIn = true;
            reply('230 Login successful.');
          } else reply('331 Please specify the password.');
          break;
        case 'PASS':
          if (user === 'bad') reply('530 Login incorrect.');
          else {
            loggedIn = true;
            reply('230 Login successful.');
          }
          break;
        case 'TYPE':
          if (arg === 'A' || arg === 'I' || arg === 'a' || arg === 'i') {
            type = arg.toUpperCase();
            reply(`200 Switching to ${type === 'A' ? 'ASCII' : 'Binary'} mode.`);
          } else reply('504 Bad TYPE command.');
          break;
        case 'PASV': {
          const port = await listen();
          reply(`227 Entering Passive Mode (127,0,0,1,${port >> 8},${port & 255}).`);
          break;
        }
        case 'EPSV': {
          const port = await listen();
          reply(user === 'badepsv' ? '229 Entering Extended Passive Mode' : `229 Entering Extended Passive Mode (|||${port}|)`);
          break;
        }
        case 'PORT': {
          const n = arg.split(',').map(Number);
          if (n.length !== 6 || n.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) reply('501 Illegal PORT command.');
          else {
            active = { host: n.slice(0, 4).join('.'), port: n[4]! * 256 + n[5]! };
            passive = null;
            reply('200 PORT command successful. Consider using PASV.');
          }
          break;
        }
        case 'EPRT': {
          const d = arg.charAt(0);
          const [, , host = '', port = ''] = arg.split(d);
          if (!host || !/^\d+$/.test(port)) reply('501 Illegal EPRT command.');
          else {
            active = { host, port: Number(port) };
            passive = null;
            reply('200 EPRT command successful. Consider using EPSV.');
          }
          break;
        }
        case 'RETR': {
          const path = resolvePath(cwd, arg);
          if (arg === 'cut.txt') {
            sock.end('150-Opening data connection\r\n150 for cu');
            return;
          }
          if (arg === 'direct.txt') {
            reply('250 No transfer needed: this reply is the answer.');
            break;
          }
          const t = path.startsWith('/.transcript/') ? transcripts.get(path.slice('/.transcript/'.length)) : undefined;
          const f = t ?? files.get(path);
          if (!f) reply('550 Failed to open file.');
          else await sendData(f, `150 Opening ${type === 'A' ? 'ASCII' : 'BINARY'} mode data connection for ${arg} (${f.length} bytes).`);
          break;
        }
        case 'STOR': {
          const path = resolvePath(cwd, arg);
          if (!arg || !path.startsWith('/incoming/') || path.split('/').length !== 3) {
            reply('553 Could not create file.');
            break;
          }
          reply('150 Ok to send data.');
          const data = await dataConnection();
          if (!data) {
            reply('425 Failed to establish connection.');
            break;
          }
          const body = await new Promise<Buffer>((resolve) => {
            const parts: Buffer[] = [];
            data.on('data', (d: Buffer) => parts.push(d));
            data.once('end', () => resolve(Buffer.concat(parts)));
            data.once('close', () => resolve(Buffer.concat(parts)));
          });
          stored += body.length;
          if (stored > MAX_STORED) reply('552 Storage limit exceeded.');
          else {
            files.set(path, body);
            reply('226 Transfer complete.');
          }
          break;
        }
        case 'LIST':
        case 'NLST': {
          const dir = resolvePath(cwd, arg.startsWith('-') ? '' : arg);
          if (!dirs.has(dir)) reply('550 No such directory.');
          else await sendData(Buffer.from(listing(dir, cmd === 'LIST'), 'latin1'), '150 Here comes the directory listing.');
          break;
        }
        case 'CWD': {
          const dir = resolvePath(cwd, arg);
          if (dirs.has(dir)) {
            cwd = dir;
            reply('250 Directory successfully changed.');
          } else reply('550 Failed to change directory.');
          break;
        }
        case 'CDUP':
          cwd = resolvePath(cwd, '..');
          reply('250 Directory successfully changed.');
          break;
        case 'PWD':
          reply(`257 "${cwd}" is the current directory`);
          break;
        case 'SIZE': {
          const f = files.get(resolvePath(cwd, arg));
          reply(f ? `213 ${f.length}` : '550 Could not get file size.');
          break;
        }
        case 'DELE': {
          const path = resolvePath(cwd, arg);
          if (path.startsWith('/incoming/') && files.delete(path)) reply('250 Delete operation successful.');
          else reply('550 Delete operation failed.');
          break;
        }
        case 'NOOP':
          reply('200 NOOP ok.');
          break;
        case 'SYST':
          reply('215 UNIX Type: L8');
          break;
        case 'HELP':
          reply('214-The following commands are recognized.\n USER PASS TYPE PASV EPSV PORT EPRT RETR STOR LIST NLST\n CWD CDUP PWD SIZE DELE NOOP SYST HELP QUIT\n214 Help OK.');
          break;
        case 'QUIT':
          if (user) transcripts.set(user, reader.transcript());
          reply('221 Goodbye.');
          return;
        default:
          reply('500 Unknown command.');
      }
    }
  }

  const server = await startLineServer(converse);
  return { port: server.port, url: `ftp://127.0.0.1:${server.port}`, close: () => server.close() };
}
