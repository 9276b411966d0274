-- socket.ftp failures: the server's reply as the message (530, 550, 553), "closed" when the
-- server closes mid-reply (greeting step, USER, RETR), "invalid epsv response", connection
-- refused; genericform's errors ("wrong scheme 'x'", "missing hostname", "invalid type 'x'",
-- "invalid url") and the Lua error 3.1.0 raises for a ";param" other than type=.
local ftp = require("socket.ftp")
local ltn12 = require("ltn12")
local wire = dofile("test/lua/support/wire.lua")
local base = arg[5]
local host, port = wire.hostport(base)
local show = wire.show
local function at(user) return "ftp://" .. user .. "@" .. host .. ":" .. port end

print("missing file", show(ftp.get(base .. "/no-such-file")))
print("login refused", show(ftp.get(at("bad:pw") .. "/hello.txt")))
print("USER reply cut", show(ftp.get(at("cut") .. "/hello.txt")))
print("RETR reply cut", show(ftp.get(base .. "/cut.txt")))
print("bad epsv", show(ftp.get(at("badepsv") .. "/hello.txt")))
print("bad type cmd", show(ftp.get { host = host, port = port, path = "hello.txt", type = "x", sink = ltn12.sink.null() }))
print("refused", show(ftp.get("ftp://127.0.0.1:" .. wire.closedport(arg[3]) .. "/x")))
print("refused put", show(ftp.put("ftp://127.0.0.1:" .. wire.closedport(arg[3]) .. "/x", "data")))
print("put refused", show(ftp.put(base .. "/pub/readme.txt", "overwrite")))

print("wrong scheme", show(ftp.get("http://example.org/x")))
print("wrong scheme put", show(ftp.put("file:///x", "b")))
print("missing hostname", show(ftp.get("ftp:///x")))
print("missing hostname table", show(ftp.get { path = "/x", sink = ltn12.sink.null() }))
print("invalid type", show(ftp.get("ftp://example.invalid/x;type=z")))
print("invalid url", show(ftp.get("")))
local ok, err = pcall(ftp.get, "ftp://example.invalid/x;foo=bar")
print("odd param raises", ok, wire.noposition(err))
print("genericform", show(pcall(ftp.genericform, "http://h/")))
local t = ftp.genericform("ftp://u:p@h:2121/a/b%20c;type=i")
local keys = {}
for k, v in pairs(t) do keys[#keys + 1] = k .. "=" .. tostring(v) end
table.sort(keys)
print("genericform fields", table.concat(keys, " "))
print("create", show(ftp.get { host = host, port = port, path = "x", sink = ltn12.sink.null(), create = function() return nil, "no socket" end }))
