-- Module-table items no other script compares (audit for issue 4, see README-coverage.md): mime's
-- decodet (keys, extension, unknown key), wrap("default"), encodet/wrapt extension seen through
-- the filter factories; socket.sinkt/sourcet (before socket.http is loaded: luahttp's http.lua does
-- not add LuaSocket's "http-chunked" modes, see README-coverage.md); tp/smtp/ftp module fields.
local socket = require("socket")
local mime = require("mime")
local ltn12 = require("ltn12")
local function keys(t)
  local k = {}
  for n in pairs(t) do k[#k + 1] = tostring(n) end
  table.sort(k)
  return table.concat(k, " ")
end
local function run(filter, ...)
  local t = {}
  assert(ltn12.pump.all(ltn12.source.table({ ... }), ltn12.sink.chain(filter, (ltn12.sink.table(t)))))
  return table.concat(t)
end

print("decodet", keys(mime.decodet))
print("decode unknown", select(2, pcall(mime.decode, "rot13")))
mime.decodet.reverse = function(tag) return function(c) return c and (c == "" and "" or c:reverse() .. (tag or "")) end end
print("decodet extension", run(mime.decode("reverse", "|"), "abc", "def"))
print("wrap default", (run(mime.wrap("default", 10), string.rep("x", 25)):gsub("\r\n", "\\r\\n")))
print("wrap default is text", mime.wrapt.default == mime.wrapt.text)
print("normalize marker", (run(mime.normalize("<>"), "a\rb\nc\r\nd\n\re"):gsub("\r", "\\r"):gsub("\n", "\\n")))
print("stuff", (run(mime.stuff(), ".a\r\n.b\r\n", "..c\r\n"):gsub("\r\n", "|")))
print("mime.core identity", require("mime.core") == mime, mime.b64 == require("mime.core").b64)

print("sinkt", keys(socket.sinkt))
print("sourcet", keys(socket.sourcet))

local tp, smtp, ftp = require("socket.tp"), require("socket.smtp"), require("socket.ftp")
print("tp", keys(tp), tp.TIMEOUT)
print("smtp", keys(smtp), smtp.SERVER, smtp.PORT, smtp.TIMEOUT, smtp.ZONE, type(smtp.DOMAIN))
print("ftp", keys(ftp), ftp.USER, ftp.PASSWORD, ftp.TIMEOUT)
print("module fields on socket", socket.tp == tp, socket.smtp == smtp, socket.ftp == ftp, socket.headers == require("socket.headers"))
