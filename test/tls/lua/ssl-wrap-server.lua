-- LuaSec's ssl module as a server: the script is both ends. It accepts its own TCP connection, wraps
-- the accepted socket in server mode (certificate + key) and the client socket in client mode, and
-- drives both handshakes without blocking (settimeout(0), "wantread", socket.select), as copas does.
-- Then: data both ways, what each side sees of the other, client certificates (required and
-- missing, given and verified), an encrypted key with its password, ALPN.
-- args: good-url other-url expired-url plain-url close-url http-url cafile capath proxy-url
local cafile = select(7, ...)
local socket = require("socket")
local ssl = require("ssl")

local dir = cafile:match("^(.*)/[^/]*$")
local SERVER = { mode = "server", protocol = "any", certificate = dir .. "/localhost.pem", key = dir .. "/localhost.key" }
local CLIENT = { mode = "client", protocol = "any", verify = "peer", cafile = cafile }

local function with(base, extra)
  local t = {}
  for k, v in pairs(base) do t[k] = v end
  for k, v in pairs(extra or {}) do t[k] = v end
  return t
end

-- Both ends of one loopback connection, wrapped; both handshakes driven to their end.
local function pair(sparams, cparams, sni, plain, serversni)
  local srv = assert(socket.bind("127.0.0.1", 0))
  local _, port = srv:getsockname()
  local cl = socket.tcp()
  cl:settimeout(5)
  assert(cl:connect("127.0.0.1", tonumber(port)))
  srv:settimeout(5)
  local sc = assert(srv:accept())
  srv:close()
  if plain then plain(sc, cl) end
  local s = assert(ssl.wrap(sc, sparams))
  local c = assert(ssl.wrap(cl, cparams))
  if sni then c:sni(sni) end
  if serversni then print("server sni()", select("#", s:sni(serversni[1], serversni[2]))) end
  s:settimeout(0)
  c:settimeout(0)
  local done, err = {}, {}
  for _ = 1, 200 do
    -- The client first: its ClientHello is then already waiting when the server starts TLS.
    for _, e in ipairs { { "client", c }, { "server", s } } do
      local side, conn = e[1], e[2]
      if not done[side] then
        local ok, msg = conn:dohandshake()
        if ok then done[side] = true
        elseif msg ~= "wantread" and msg ~= "wantwrite" then done[side], err[side] = true, msg end
      end
    end
    if done.server and done.client then break end
    socket.select({ s, c }, nil, 0.05)
  end
  print("handshake", "server", done.server, err.server, "client", done.client, err.client)
  s:settimeout(5)
  c:settimeout(5)
  return s, c
end

-- a server and a client
local s, c = pair(SERVER, CLIENT, "localhost")
print("server sni", s:getsniname(), "client sni", c:getsniname())
print("client -> server", c:send("ping\n"), s:receive())
print("server -> client", s:send("pong 1\npong 2\n"), c:receive(), c:receive("*l"))
print("client sees", c:getpeercertificate():subject()[1].value, c:getpeerverification())
print("server sees", s:getpeercertificate(), s:getpeerverification())
print("server info", s:info("protocol"), s:info("cipher"))
local ekm = c:exportkeyingmaterial("EXPORTER-luahttp", 32, "ctx")
print("keying material", #ekm, ekm == s:exportkeyingmaterial("EXPORTER-luahttp", 32, "ctx"),
  ekm == c:exportkeyingmaterial("EXPORTER-luahttp", 32), #c:exportkeyingmaterial("x", 0))
print("partial", s:send("abc"), s:close(), c:receive(10))
c:close()
print("keying material after close", select("#", c:exportkeyingmaterial("x", 16)))

-- a client certificate, required but missing: the server refuses, the client learns it on its first read
s, c = pair(with(SERVER, { verify = { "peer", "fail_if_no_peer_cert" }, cafile = cafile }), CLIENT)
print("client reads", c:receive())
print("server reads", s:receive())
s:close()
c:close()

-- a client certificate, required and given (its key encrypted, the password from a function)
local client = with(CLIENT, { certificate = dir .. "/client.pem", key = dir .. "/client-enc.key", password = function() return "s3cret" end })
s, c = pair(with(SERVER, { verify = { "peer", "fail_if_no_peer_cert" }, cafile = cafile }), client)
local peer = s:getpeercertificate()
print("server sees", peer and peer:subject()[1].value, s:getpeerverification())
local ext = peer:extensions()["2.5.29.17"]
print("client cert", ext.name, ext.rfc822Name and ext.rfc822Name[1], peer:issuer()[1].value)
print("client -> server", c:send("hello\n"), s:receive())
s:close()
c:close()
print("wrong password", ssl.newcontext(with(client, { password = "nope" })) == nil)

-- STARTTLS: a plain exchange first, then TLS on the same connection
s, c = pair(SERVER, CLIENT, "localhost", function(sc, cl)
  print("plain", cl:send("STARTTLS\r\n"), sc:receive())
  print("plain", sc:send("220 go ahead\r\n"), cl:receive())
end)
print("tls", c:send("EHLO\r\n"), s:receive(), c:getpeercertificate():subject()[1].value)
s:close()
c:close()

-- server-side SNI: a context per name the client asks for (strict: other names refused)
local other = assert(ssl.newcontext { mode = "server", protocol = "any", certificate = dir .. "/other.pem", key = dir .. "/other.key" })
for _, case in ipairs { { "other.example", false }, { "localhost", false }, { "other.example", true }, { nil, true } } do
  s, c = pair(SERVER, CLIENT, case[1], nil, { { ["other.example"] = other }, case[2] })
  print("sni", case[1], case[2], c:getpeercertificate():subject()[1].value, s:getsniname(), c:getsniname())
  s:close()
  c:close()
end

-- ALPN: the server picks by its own preference among what the client offers
s, c = pair(with(SERVER, { alpn = { "b", "a" } }), with(CLIENT, { alpn = { "a", "b" } }))
print("alpn", s:getalpn(), c:getalpn())
s:close()
c:close()
