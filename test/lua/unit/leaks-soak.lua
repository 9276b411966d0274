-- Fixture for test/io/leaks-soak.test.ts: arg[3] requests that leave early in every way a script
-- can (a sink that raises, a sink that aborts, a coroutine abandoned inside its sink, a source that
-- raises, the same where the request cannot yield, and over ssl.https), mixed with refused
-- connections, timeouts, truncated bodies and plain requests. Every arg[4] requests it prints the
-- process's open sockets and its VmRSS (kB): both must level off. arg[5], arg[6]: the same server
-- over TLS and the CA file that verifies it.
-- arg[1]: the server's base URL; arg[2]: a port nobody listens on (port 1: below the ephemeral range,
-- so no connection of this or another process can be holding it).
local http = require("socket.http")
local https = require("ssl.https")
local ltn12 = require("ltn12")

local base, refused = arg[1], "http://127.0.0.1:" .. arg[2] .. "/"
local total, every = tonumber(arg[3]), tonumber(arg[4])
local tlsbase, cafile = arg[5], arg[6]

-- Sockets of this process (the VM and the I/O side are one process: the shell's parent).
local function sockets()
  local p = assert(io.popen("ls -l /proc/$PPID/fd 2>/dev/null | grep -c socket"))
  local n = p:read("n")
  p:close()
  return n
end

local function rss()
  local f = assert(io.open("/proc/self/status", "r"))
  local s = f:read("a")
  f:close()
  return tonumber(s:match("VmRSS:%s*(%d+)"))
end

local function raising(chunk)
  if chunk then error("sink raised") end
  return 1
end

local function aborting(chunk)
  if chunk then return nil, "abort" end
  return 1
end

-- Starts a request in a coroutine whose sink yields at the first chunk; the coroutine is dropped.
local function abandoned(url, request)
  local co = coroutine.wrap(function()
    (request or http.request) { url = url, cafile = cafile, sink = function(chunk) coroutine.yield() return 1 end }
  end)
  co()
end

local function raisingsource()
  local n = 0
  return function()
    n = n + 1
    if n > 3 then error("source raised") end
    return string.rep("u", 30000)
  end
end

-- Where a request cannot yield (a gsub callback) it blocks on the I/O thread: same rules there.
local function blocked(f)
  string.gsub("x", "x", function() f() end)
end

local outcomes = {}
local function note(kind, ok, err)
  local key = kind .. (ok and " ok" or (" failed: " .. tostring(err)))
  outcomes[key] = (outcomes[key] or 0) + 1
end

local kinds = {
  function() note("raising sink", not pcall(http.request, { url = base .. "/big", sink = raising })) end,
  function() local r, e = http.request { url = base .. "/big", sink = aborting }; note("aborting sink", r == nil and e == "abort", e) end,
  function() abandoned(base .. "/big"); note("abandoned coroutine", true) end,
  function() local r, e = http.request(refused); note("refused", r == nil and e == "connection refused", e) end,
  function() local r, e = http.request { url = base .. "/stall", timeout = 0.02 }; note("timeout", r == nil and e == "timeout", e) end,
  function() local r, e = http.request { url = base .. "/truncated", sink = ltn12.sink.null() }; note("truncated", r == nil and e == "closed", e) end,
  function() local b, c = http.request(base .. "/small"); note("plain", b == "small body" and c == 200, c) end,
  function() blocked(function() note("raising sink, blocking", not pcall(http.request, { url = base .. "/big", sink = raising })) end) end,
  function() blocked(function() local r, e = http.request { url = base .. "/big", sink = aborting }; note("aborting sink, blocking", r == nil and e == "abort", e) end) end,
  function()
    local ok = not pcall(http.request, { url = base .. "/upload", method = "POST", source = raisingsource(), sink = ltn12.sink.null() })
    note("raising source", ok)
  end,
  function() blocked(function() abandoned(base .. "/big"); note("abandoned coroutine, blocking", true) end) end,
  function() note("raising sink, https", not pcall(https.request, { url = tlsbase .. "/big", sink = raising, cafile = cafile })) end,
  function() abandoned(tlsbase .. "/big", https.request); note("abandoned coroutine, https", true) end,
}

-- arg[3] == "abort": how many sockets are open right after each of 20 aborting sinks returned
-- (yielding, then blocking): the connection must already be gone, not closed a moment later.
if arg[3] == "abort" then
  local before, most = sockets(), 0
  for i = 1, 40 do
    local r, e
    local function go() r, e = http.request { url = base .. "/big", sink = aborting } end
    if i > 20 then blocked(go) else go() end
    assert(r == nil and e == "abort", e)
    most = math.max(most, sockets())
  end
  print("sockets", before, most)
  return
end

-- Seconds spent per kind (printed for the notes; nothing asserts on them).
local spent, gettime = {}, require("socket").gettime
print("checkpoint", 0, sockets(), rss())
for i = 1, total do
  local k, t0 = (i - 1) % #kinds + 1, gettime()
  kinds[k]()
  spent[k] = (spent[k] or 0) + gettime() - t0
  if i % every == 0 then print("checkpoint", i, sockets(), rss()) end
end
local names = {}
for k in pairs(outcomes) do names[#names + 1] = k end
table.sort(names)
for _, k in ipairs(names) do print("outcome", k, outcomes[k]) end
for k = 1, #kinds do print("seconds", k, string.format("%.2f", spent[k] or 0)) end
