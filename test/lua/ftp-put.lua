-- ftp.put, both forms: the string form uploads the body (STOR, ";type=" → TYPE) and returns the
-- bytes sent as the data socket counted them (a float, as LuaSocket's C getstats); the table form
-- takes a source, a step, a command (APPE-like) and an argument; every byte value round-trips; a
-- refused STOR; the wire as the server recorded it.
local ftp = require("socket.ftp")
local ltn12 = require("ltn12")
local wire = dofile("test/lua/support/wire.lua")
local base = arg[5]
local host, port = wire.hostport(base)
local show = wire.show

local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
all = table.concat(all)

local userurl = "ftp://ftp-put-user:pw@" .. host .. ":" .. port
print("string form", show(ftp.put(userurl .. "/incoming/ftp-put-all.bin;type=i", all)))
print(wire.visible(ftp.get(base .. "/.transcript/ftp-put-user")))
local back = ftp.get(base .. "/incoming/ftp-put-all.bin;type=i")
print("round trip", #back, back == all)
print("type=a keeps bytes", show(ftp.put(base .. "/incoming/ftp-put-text.txt;type=a", "a\nb\r\nc")),
  show(ftp.get(base .. "/incoming/ftp-put-text.txt")))
print("empty body", show(ftp.put(base .. "/incoming/ftp-put-empty.txt", "")),
  show(ftp.get(base .. "/incoming/ftp-put-empty.txt")))

local big = all:rep(257)
local steps = 0
print("table form", show(ftp.put {
  host = host, port = port, path = "/incoming/ftp-put-big.bin", type = "i", user = "ftp-put-table",
  source = ltn12.source.string(big),
  step = function(src, snk) steps = steps + 1 return ltn12.pump.step(src, snk) end,
}))
print("steps", steps > 1)
print(wire.visible(ftp.get(base .. "/.transcript/ftp-put-table")))
print("big back", ftp.get(base .. "/incoming/ftp-put-big.bin;type=i") == big)

print("argument wins", show(ftp.put {
  url = base .. "/ignored/path", argument = "incoming/ftp-put-arg.txt", user = "ftp-put-arg",
  source = ltn12.source.table { "one ", "two ", "three" },
}))
print(wire.visible(ftp.get(base .. "/.transcript/ftp-put-arg")))
print("stored", show(ftp.get(base .. "/incoming/ftp-put-arg.txt")))

print("refused STOR", show(ftp.put(base .. "/not-allowed.txt", "x")))
print("source error", show(ftp.put {
  host = host, port = port, path = "/incoming/ftp-put-err.txt",
  source = ltn12.source.cat(ltn12.source.string("some "), ltn12.source.error("source broke")),
}))
print("nil body", show(pcall(ftp.put, base .. "/incoming/ftp-put-nil.txt")))
