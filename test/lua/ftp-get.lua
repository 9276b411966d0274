-- ftp.get, both forms: the string form returns the file (EPSV data connection, TYPE from
-- ";type="), the table form feeds the sink and returns 1; every byte value survives; user and
-- password from the URL; a 2xx reply to RETR given to the sink as the data; the commands that went
-- over the wire (the server's record of a session, fetched with ftp.get itself).
local ftp = require("socket.ftp")
local ltn12 = require("ltn12")
local wire = dofile("test/lua/support/wire.lua")
local base = arg[5]
local host, port = wire.hostport(base)
local show = wire.show

print("constants", ftp.USER, ftp.PASSWORD, ftp.TIMEOUT, ftp.PORT)
local keys = {}
for k in pairs(ftp) do keys[#keys + 1] = k end
table.sort(keys)
print("fields", table.concat(keys, " "))

print("text", show(ftp.get(base .. "/hello.txt")))
print("type=a", show(ftp.get(base .. "/hello.txt;type=a")))
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
all = table.concat(all)
local bin = ftp.get(base .. "/bytes.bin;type=i")
print("binary", #bin, bin == all:rep(3))
print("subdir", show(ftp.get(base .. "/pub/readme.txt")))
print("escaped path", show(ftp.get(base .. "/pub%2Freadme.txt")))
print("empty file", show(ftp.get(base .. "/pub/empty.txt")))
print("user in url", show(ftp.get("ftp://ftp-get-user:pw%40x@" .. host .. ":" .. port .. "/hello.txt")))
print(wire.visible(ftp.get(base .. "/.transcript/ftp-get-user")))
print("no password needed", show(ftp.get("ftp://nopass@" .. host .. ":" .. port .. "/pub/readme.txt")))

local chunks = {}
print("table form", show(ftp.get {
  host = host, port = port, path = "/bytes.bin", type = "i", user = "ftp-get-table",
  sink = ltn12.sink.table(chunks),
}))
print("table data", #table.concat(chunks), table.concat(chunks) == all:rep(3))
print(wire.visible(ftp.get(base .. "/.transcript/ftp-get-table")))

chunks = {}
local steps = 0
print("url field + step", show(ftp.get {
  url = base .. "/hello.txt;type=i", user = "ftp-get-url", sink = ltn12.sink.table(chunks),
  step = function(src, snk) steps = steps + 1 return ltn12.pump.step(src, snk) end,
}))
print("data", show(table.concat(chunks)), steps > 0)
-- override() reads no ";type=" from the url field: no TYPE command in this session.
print(wire.visible(ftp.get(base .. "/.transcript/ftp-get-url")))

chunks = {}
print("argument + command", show(ftp.get {
  host = host, port = port, command = "list", argument = "pub", user = "ftp-get-list",
  sink = ltn12.sink.table(chunks),
}))
print(wire.visible(table.concat(chunks)))
chunks = {}
print("nlst", show(ftp.get { host = host, port = port, command = "nlst", path = "/", sink = ltn12.sink.table(chunks) }))
print(wire.visible(table.concat(chunks)))

chunks = {}
print("2xx reply as data", show(ftp.get { host = host, port = port, path = "direct.txt", sink = ltn12.sink.table(chunks) }))
print("sink got", show(table.unpack(chunks)))
