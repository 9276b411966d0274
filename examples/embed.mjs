// Embedding luahttp in a Node app: a Lua job that fetches a URL with LuaSocket's socket.http, calls
// the app's own async function and returns a value — under a sandbox with limits and a network
// policy. Run with: node examples/embed.mjs [url]   (without a URL it serves one itself on loopback)
import http from 'node:http';
import { createRuntime, LimitError, LuaError } from 'luahttp';

// A small service to fetch (an app would call its real upstream).
const server = http.createServer((req, res) => res.end(JSON.stringify({ path: req.url, ok: true })));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = process.argv[2] ?? `http://127.0.0.1:${server.address().port}/status`;

const seen = [];
const rt = await createRuntime({
  limits: { timeoutMs: 5000, memoryBytes: 64 * 1024 * 1024, maxRequests: 10 },
  // The library blocks private and loopback addresses by default; this example talks to loopback.
  network: { privateNetworks: true },
  env: { SERVICE_URL: url },
  functions: {
    // An async host function is a plain blocking call in Lua.
    notify: async (message) => { seen.push(message); return true; },
    store: { get: async (key) => ({ key, value: 42 }) },
  },
  modules: { report: 'return function(code, body) return ("%d %s"):format(code, body) end' },
  stdout: (bytes) => process.stdout.write(bytes),
});

const job = `
  local http = require("socket.http")
  local report = require("report")
  local body, code = http.request(os.getenv("SERVICE_URL"))
  notify(report(code, body))
  print("fetched", #body, "bytes")
  return code, store.get("answer").value, ...
`;

try {
  const [code, answer, extra] = await rt.run(job, { args: ['extra'], chunkName: 'job.lua' });
  console.log('status', code, 'answer', answer, 'arg', extra, 'notified', seen);

  // Errors keep Lua's message and traceback; limits end the run, and the runtime goes on.
  await rt.run('error({ reason = "bad input" })').catch((e) => console.log(e instanceof LuaError, e.value));
  await rt.run('while true do end', { timeoutMs: 100 }).catch((e) => console.log(e instanceof LimitError, e.limit));
  console.log('still usable:', (await rt.run('return 6 * 7'))[0]);
} finally {
  await rt.close();
  server.close();
}
