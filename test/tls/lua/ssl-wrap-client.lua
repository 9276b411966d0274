-- LuaSec's ssl module as a client (ssl.wrap over a socket.tcp connection) against the loopback TLS
-- servers: contexts and their errors, the handshake, the peer certificate object, send/receive with
-- LuaSocket's patterns, LuaSec's "wantread" on a timeout, close, and handshakes that fail.
-- Contexts say verify = "peer" + cafile, so native LuaSec verifies exactly as luahttp does.
-- Per-run certificate values (digests, dates, the CA serial) are replaced by the test with <tokens>.
-- args: good-url other-url expired-url plain-url close-url http-url cafile capath proxy-url
local good, _, expired, plain, close, _, cafile = ...
local socket = require("socket")
local ssl = require("ssl")

local function port(u) return tonumber(u:match(":(%d+)$")) end
local function addr(s) return (tostring(s):gsub("0x%x+", "ADDR")) end
local CLIENT = { mode = "client", protocol = "any", verify = "peer", cafile = cafile, options = { "all", "no_sslv3" } }

local function connect(u)
  local t = socket.tcp()
  t:settimeout(5)
  assert(t:connect("127.0.0.1", port(u)))
  return t
end

print("module", ssl._VERSION, type(ssl.newcontext), type(ssl.wrap), type(ssl.loadcertificate), type(ssl.config))

-- contexts
local ctx, err = ssl.newcontext(CLIENT)
print("context", addr(ctx), err, getmetatable(ctx).__name)
for _, p in ipairs {
  { mode = "client", protocol = "tlsv9" }, { mode = "bogus", protocol = "any" },
  { mode = "client", protocol = "any", verify = "bogus" }, { mode = "client", protocol = "any", verify = { "peer", "bogus" } },
  { mode = "client", protocol = "any", options = "bogus" }, { mode = "client", protocol = "any", alpn = "" },
  { mode = "client", protocol = "any", alpn = 5 }, { mode = "client", protocol = "any", alpn = {} },
  { mode = "client", protocol = "any", key = cafile, password = 1 }, { mode = "client", protocol = "any", dhparam = "x" },
  { mode = "server", protocol = "any", alpn = "h2" },
} do
  local r, e = ssl.newcontext(p)
  print("newcontext", r and addr(r), e)
end
print("pcall", (select(2, pcall(ssl.newcontext, { mode = "client" })):match("bad argument.*")))
print("invalid mode", ssl.wrap(socket.tcp(), { mode = "bogus", protocol = "any" }))

-- wrap, handshake, connection information
local t = connect(good)
local c = assert(ssl.wrap(t, ctx))
print("wrap", addr(c), getmetatable(c).__name, t:getfd(), math.type(c:getfd()), c:getfd() >= 0)
print("before", c:getpeercertificate())
print("before", c:receive())
print("before", c:info())
print("sni", c:sni("localhost"))
print("handshake", c:dohandshake())
print("again", c:dohandshake())
local info = c:info()
print("info", info.protocol, info.cipher, info.key, info.authentication, info.encryption, info.mac, info.bits, info.algbits, info.export, info.compression)
print("info field", c:info("protocol"), c:info("bits"))
print("alpn", c:getalpn())
print("verification", c:getpeerverification())

-- the peer certificate
local cert = c:getpeercertificate()
print("cert", addr(cert), getmetatable(cert).__name)
for i, e in ipairs(cert:subject()) do print("subject", i, e.oid, e.name, e.value) end
for i, e in ipairs(cert:issuer()) do print("issuer", i, e.oid, e.name, e.value) end
print("dates", cert:notbefore(), cert:notafter())
print("digest", cert:digest(), cert:digest("sha1"))
print("digest", cert:digest("sha256"))
print("digest", cert:digest("sha512"))
print("digest", cert:digest("md5"))
print("serial", cert:serial())
local pem, kind, bits = cert:pubkey()
print("pubkey", #pem, pem:match("^[^\n]*"), kind, bits, math.type(bits))
local ext = cert:extensions()
for oid, e in pairs(ext) do
  print("extension", oid, e.name)
  print("  dNSName", table.concat(e.dNSName or {}, ","))
  print("  iPAddress", table.concat(e.iPAddress or {}, ","))
end
print("validat", cert:validat(os.time()), cert:validat(0), cert:validat(os.time() + 3600 * 24 * 365))
print("pem", #cert:pem() > 1000, cert:pem():match("^[^\n]*"), cert:pem():sub(-26))
print("signature", cert:getsignaturename())
print("setencode", cert:setencode("utf8"), cert:setencode("latin9"), cert:subject()[1].value)
print("second cert", c:getpeercertificate(2), c:getpeercertificate(0))
local chain = c:getpeerchain()
print("chain", #chain, chain[1]:digest() == cert:digest())

-- I/O with LuaSocket's patterns
print("send", c:send("GET /echo?via=ssl.wrap HTTP/1.1\r\nHost: localhost\r\n\r\n"))
print("status", c:receive())
local length
while true do
  local line = assert(c:receive("*l"))
  if line == "" then break end
  local name, value = line:match("^([^:]+):%s*(.*)$")
  name = name:lower()
  if name == "content-length" then length = tonumber(value) end
  if name ~= "date" and name ~= "keep-alive" and name ~= "connection" then print("header", name, value) end
end
print("body", c:receive(length))
print("settimeout", c:settimeout(0.3))
print("timeout", c:receive())
print("want", c:want(), c:dirty())
print("send range", c:send("GET /echo?via=range HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\nxyz", 1, -4))
c:settimeout(5)
print("status", c:receive("*l"))
local rest = c:receive("*a")
print("rest", rest:match("GET [^\n]*"))
print("after close by peer", c:receive())
local received, sent = c:getstats()
print("stats", sent)
print("close", select("#", c:close()))
print("closed", addr(c))
print("closed", c:receive())
print("closed", c:send("x"))
print("closed", c:getpeercertificate())
print("closed tcp", t:getfd(), t:close())

-- TLS 1.2 with one cipher suite: info() as SSL_CIPHER_description describes it; ALPN; Finished messages
local c12 = assert(ssl.wrap(connect(good), { mode = "client", protocol = "tlsv1_2", ciphers = "ECDHE-RSA-AES128-GCM-SHA256",
  verify = "peer", cafile = cafile, alpn = { "h2", "http/1.1" } }))
c12:sni("localhost")
print("tls1.2", c12:dohandshake())
local i12 = c12:info()
local keys = {}
for k in pairs(i12) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do print("", k, i12[k]) end
print("alpn", c12:getalpn(), c12:getsniname())
print("finished", #c12:getfinished(), #c12:getpeerfinished())
print("patterns", pcall(c12.receive, c12, "l"))
print("patterns", pcall(c12.receive, c12, -1))
c12:close()

-- certificates from PEM text
local f = assert(io.open(cafile, "rb"))
local ca = ssl.loadcertificate(f:read("a"))
f:close()
print("loadcertificate", addr(ca), ca:subject()[1].value, ca:issuer()[1].value, ca:serial())
print("loadcertificate", ssl.loadcertificate("garbage"))
print("ca extensions", next(ca:extensions()))

-- handshakes that fail: nil-free, LuaSec-shaped (false, msg)
local function handshake(u, params)
  local w = assert(ssl.wrap(connect(u), params or CLIENT))
  w:settimeout(5)
  local r = table.pack(w:dohandshake())
  w:close()
  return r.n, r[1], r[2]
end
print("plain", handshake(plain))
print("cut", handshake(close))
local n, ok, msg = handshake(expired)
print("expired", n, ok, msg:match("^certificate verify failed"))
