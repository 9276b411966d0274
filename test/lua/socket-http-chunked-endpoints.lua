-- socket.sink("http-chunked", sock) and socket.source("http-chunked", sock, headers), which
-- LuaSocket's socket/http.lua registers: chunked framing written and read over a loopback TCP pair,
-- trailers (folded and repeated) into the headers table, bad chunk sizes, a peer closing mid-chunk.
local socket = require("socket")
require("socket.http")
local ltn12 = require("ltn12")

local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()
local function pair()
  local c = assert(socket.connect("127.0.0.1", port))
  local s = assert(server:accept())
  c:settimeout(2) s:settimeout(2)
  return c, s
end

-- 1. what the sink writes, byte for byte
local c, s = pair()
local sink = socket.sink("http-chunked", c)
print("sink types", type(sink), type(sink.getfd), type(sink.dirty))
print("sink", sink("hello"), sink(""), sink(string.rep("x", 300)), sink(nil))
c:close()
local wire = s:receive("*a")
print("wire", #wire, (wire:gsub("\r", "\\r"):gsub("\n", "\\n"):gsub("x+", function(x) return "x*" .. #x end)))
s:close()

-- 2. reading it back through the source, with trailers
c, s = pair()
c:send("5;ext=1\r\nhello\r\n1A\r\n" .. string.rep("y", 26) .. "\r\n0\r\nX-Trailer: one\r\nX-Folded: a\r\n  b\r\nx-trailer: two\r\n\r\n")
local headers = { existing = "kept" }
local t = {}
print("pump", ltn12.pump.all(socket.source("http-chunked", s, headers), (ltn12.sink.table(t))))
print("body", table.concat(t))
local names = {}
for k in pairs(headers) do names[#names + 1] = k end
table.sort(names)
for _, k in ipairs(names) do print("header", k, headers[k]) end
c:close() s:close()

-- 3. bad input: a size that is not hex, a malformed trailer, a peer closing inside a chunk
for _, case in ipairs {
  "zz\r\nabc\r\n",
  "3\r\nabc\r\n0\r\nno colon here\r\n\r\n",
  "a\r\nabc",
  "-1\r\n\r\n",
} do
  c, s = pair()
  c:send(case)
  c:close()
  local got = {}
  local ok, err = ltn12.pump.all(socket.source("http-chunked", s), (ltn12.sink.table(got)))
  print("case", (case:gsub("\r\n", "|")), ok, err, table.concat(got))
  s:close()
end
server:close()
