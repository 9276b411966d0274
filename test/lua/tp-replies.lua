-- socket.tp reply parsing against an in-script server: check() with a pattern, a list of patterns
-- (numbers too) and a function; multi-line replies joined with "\n" (lines without a code inside,
-- a different code, "ddd" without separator); "invalid server reply"; a reply cut by the peer
-- closing; a timeout; the types of the returned code.
local socket = require("socket")
local tp = require("socket.tp")
local wire = dofile("test/lua/support/wire.lua")
local show = wire.show

local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()

local function pair(timeout)
  local t = assert(tp.connect("127.0.0.1", port, timeout or 2))
  local conn = assert(server:accept())
  conn:settimeout(2)
  return t, conn
end

local t, conn = pair()
conn:send(table.concat({
  "220 single line",
  "220-first",
  "220-second",
  "220 done",
  "250-a",
  "   indented line without code",
  "251 other code does not end it",
  "250x nor does a code without space",
  "250",
  "250 end",
  "331 user ok",
  "450 try later",
  "500 bad",
  "250 for the function",
  "221 custom",
  "200",
  "2001 four digits",
  "22 short",
  "",
  "hello",
  "354 go ahead",
  "230 logged",
  "299 typed",
  "298 for a nil pattern",
}, "\r\n") .. "\r\n")
print("pattern", show(t:check("2..")))
print("multi", show(t:check("2..")))
print("multi odd", show(t:check("25.")))
print("table", show(t:check { "2..", 331 }))
print("no match", show(t:check { "2..", "3.." }))
print("string no match", show(t:check("2..")))
print("function", show(t:check(function(code, reply) return "fn", math.type(code), code, reply end)))
print("number", show(t:check(221)))
print("empty sep", show(t:check("200")))
print("four digits", show(t:check("200")))
print("short", show(t:check(".")))
print("empty line", show(t:check(".")))
print("text", show(t:check(".")))
print("after invalid", show(t:check("3..")))
print("unanchored", show(t:check("3")))
print("type", math.type((t:check("2.."))))
local okb, errb = pcall(t.check, t, nil)
print("bad ok", okb, wire.noposition(errb))
conn:send("220-partial\r\n220-more\r\n")
conn:close()
print("cut multi", show(t:check("2..")))
print("after cut", show(t:check("2..")))
t:close()

t, conn = pair()
conn:send("220 no newline")
conn:close()
print("cut line", show(t:check("2..")))
t:close()

t, conn = pair(0.1)
print("timeout", show(t:check("2..")))
conn:send("220-x\r\n")
print("timeout multi", show(t:check("2..")))
t:close()
conn:close()
server:close()
