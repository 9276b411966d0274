-- mime.core and mime: every low-level function on random inputs split at random chunk
-- boundaries (the incremental A, B = f(C, D) contract), odd arguments, and the high-level
-- ltn12 filters. math.randomseed(42) makes both runs see the same inputs.
local H = require("harness")
local ltn12 = require("ltn12")
local mime = require("mime")
local core = require("mime.core")
H.expect_source("mime.core", core.b64)
H.expect_source("mime", mime.normalize)
math.randomseed(42)

local show, check, case = H.show, H.check, H.case

case("mime is mime.core", show(mime == core))
do
  local names = {}
  for k, v in pairs(mime) do names[#names + 1] = k .. ":" .. type(v) end
  table.sort(names)
  case("exports", table.concat(names, " "))
end
case("version", show(mime._VERSION))

local binary = nil -- full byte range
local texty = "abcXYZ019 \t\r\n=.-_\r\n \t==.\0\127\128\255"
local b64ish = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/===\r\n \t.-*"
local qpish = "=0123456789ABCDEFabcdefXYZ\r\n \t.=\r\n=\r=\n\0\255"

local function input(kind, max)
  local n = math.random(0, max)
  if kind == "binary" then return H.random_bytes(n) end
  if kind == "text" then return H.random_bytes(n, texty) end
  if kind == "b64" then return H.random_bytes(n, b64ish) end
  return H.random_bytes(n, qpish)
end

-- Runs an incremental "ctx, chunk" function over random pieces, logging every call.
local function incremental(label, f, ctx, data, extra, max_piece)
  local pieces = H.random_split(data, max_piece)
  local out = {}
  for i, piece in ipairs(pieces) do
    local r = table.pack(pcall(f, ctx, piece, extra))
    if not r[1] then
      case(label .. " piece" .. i, "error " .. show(H.normalize(r[2])))
      return
    end
    out[#out + 1] = H.showlist(r.n - 1, table.unpack(r, 2, r.n))
    ctx = r[3]
  end
  local r = table.pack(pcall(f, ctx, nil, extra))
  out[#out + 1] = "end " .. (r[1] and H.showlist(r.n - 1, table.unpack(r, 2, r.n)) or ("error " .. show(r[2])))
  case(label, table.concat(out, " | "))
end

-- The C functions take the remainder first (b64, unb64, qp, unqp: C = remainder, D = chunk)
local function as_ctx_chunk(f)
  return function(ctx, chunk, extra) return f(ctx, chunk, extra) end
end

local kinds = { "binary", "text", "b64", "qp" }
for round = 1, 120 do
  local kind = kinds[(round % 4) + 1]
  local data = input(kind, 400)
  local maxp = math.random(1, 50)
  local tag = "r" .. round .. " " .. kind
  incremental(tag .. " b64", as_ctx_chunk(core.b64), "", data, nil, maxp)
  incremental(tag .. " unb64", as_ctx_chunk(core.unb64), "", data, nil, maxp)
  local encoded = core.b64(data) or ""
  incremental(tag .. " unb64(b64)", as_ctx_chunk(core.unb64), "", encoded, nil, maxp)
  local markers = { nil, "\r\n", "=0D=0A", "\n", "", "X\0Y", 12 }
  local marker = markers[math.random(#markers)]
  incremental(tag .. " qp " .. show(marker), as_ctx_chunk(core.qp), "", data, marker, maxp)
  local q = core.qp(data) or ""
  incremental(tag .. " unqp(qp)", as_ctx_chunk(core.unqp), "", q, nil, maxp)
  incremental(tag .. " unqp", as_ctx_chunk(core.unqp), "", data, nil, maxp)
  local len = ({ 76, 1, 2, 3, 4, 10, 0, -1 })[math.random(8)]
  local left = math.random(-2, 80)
  incremental(tag .. " wrp " .. len .. " " .. left, core.wrp, left, data, len, maxp)
  incremental(tag .. " qpwrp " .. len .. " " .. left, core.qpwrp, left, q .. data, len, maxp)
  local ctx0 = ({ 0, 10, 13, 0, 65 })[math.random(5)]
  incremental(tag .. " eol " .. ctx0 .. " " .. show(marker), core.eol, ctx0, data, marker, maxp)
  local st = ({ 0, 1, 2, 2, 5 })[math.random(5)]
  incremental(tag .. " dot " .. st, core.dot, st, data, nil, maxp)
end

-- whole-input checks, single calls
for round = 1, 200 do
  local kind = kinds[(round % 4) + 1]
  local a, b = input(kind, 20), input(kind, 20)
  local tag = "s" .. round .. " " .. kind
  check(tag .. " b64(a)", core.b64, a)
  check(tag .. " b64(a,b)", core.b64, a, b)
  check(tag .. " unb64(a)", core.unb64, a)
  check(tag .. " unb64(a,b)", core.unb64, a, b)
  check(tag .. " qp(a)", core.qp, a)
  check(tag .. " qp(a,b)", core.qp, a, b)
  check(tag .. " unqp(a)", core.unqp, a)
  check(tag .. " unqp(a,b)", core.unqp, a, b)
  check(tag .. " wrp", core.wrp, math.random(-3, 10), a, math.random(-2, 10))
  check(tag .. " qpwrp", core.qpwrp, math.random(-3, 10), a, math.random(-2, 10))
  check(tag .. " eol", core.eol, ({ 0, 10, 13 })[math.random(3)], a)
  check(tag .. " dot", core.dot, math.random(0, 3), a)
end

-- fixed cases from the reference and the corner cases of the C code
local fixed = {
  { "b64", "hello" }, { "b64", "" }, { "b64", "ab", "c" }, { "b64", nil }, { "b64" }, { "b64", "", "" },
  { "b64", 12, 3.5 }, { "b64", nil, "x" }, { "b64", "a", nil }, { "b64", "\0" }, { "b64", "\0\0" },
  { "unb64", "", "" }, { "unb64", "" }, { "unb64", "====" }, { "unb64", "A=BC" }, { "unb64", "=AAA" },
  { "unb64", "aGVsbG8=" }, { "unb64", "aGVsbG8", "" }, { "unb64", "AAAA" }, { "unb64", "AA==" },
  { "unb64", "*&^%" }, { "unb64", nil, "x" }, { "unb64", 12345678 },
  { "qp", " a" }, { "qp", "a\r" }, { "qp", "a", "b", "x\0y" }, { "qp", "a\r\nb", nil, "x\0y" },
  { "qp", "a \r\nb" }, { "qp", "a\t\r\n" }, { "qp", "a \r" }, { "qp", " \r\n" }, { "qp", "=" },
  { "qp", "\r\n", "", "M" }, { "qp", "x", " " }, { "qp", "x", " \r" }, { "qp", "x", "\r" },
  { "qp", "x", " y" }, { "qp", "", "" }, { "qp", "" }, { "qp", nil, "x" }, { "qp", "é" },
  { "unqp", "=00abc" }, { "unqp", "=00abc", "" }, { "unqp", "a=\r\nb" }, { "unqp", "=4", "1" },
  { "unqp", "==41" }, { "unqp", "\rA" }, { "unqp", "\r=41" }, { "unqp", "a\nb" }, { "unqp", "=zz" },
  { "unqp", "a=" }, { "unqp", "a=", "" }, { "unqp", "a\r", "" }, { "unqp", "" }, { "unqp", "", "" },
  { "unqp", "=3D=3d" }, { "unqp", "\255\t" },
  { "wrp", 0 / 0, "abc", 2 }, { "wrp", 3e9, "abc", 2 }, { "wrp", 2, "abc", 0 / 0 }, { "wrp", 2, "abcdef", 1e10 },
  { "wrp", 2, nil, 1e10 }, { "wrp", 5, "abc", -1 }, { "wrp", -5, "abc", -1 }, { "wrp", 1.7, "abc", 2.9 },
  { "wrp", 76, nil }, { "wrp", 75, nil }, { "wrp", 3, "a\r\nbcdef\n\ngh" }, { "wrp", "3", "abcd", "2" },
  { "wrp", 10, "" }, { "wrp", -2147483648, "ab", -2147483648 },
  { "qpwrp", 1, nil, 76 }, { "qpwrp", 76, nil, 76 }, { "qpwrp", 77, nil }, { "qpwrp", 4, "ab=41cd", 5 },
  { "qpwrp", 3, "=41=42=43", 4 }, { "qpwrp", 2, "abc\r\ndef", 2 }, { "qpwrp", 0, "abc", 0 },
  { "qpwrp", 5, "a=\n=b", 3 },
  { "eol", 2 ^ 32 + 13, "\r" }, { "eol", 2 ^ 32 + 13, "" }, { "eol", -1, "" }, { "eol", 13, "" },
  { "eol", 0, "a\nb", "X\0Y" }, { "eol", 0, "\r\r\n\n\r\n\r" }, { "eol", 13, "\n" }, { "eol", 10, "\n" },
  { "eol", 0, nil }, { "eol", 0, nil, {} }, { "eol", "13", "\r" }, { "eol", 0, "a\r", 5 },
  { "dot", -1, "" }, { "dot", -3.5, "" }, { "dot", 0 / 0, "" }, { "dot", 1e300, "" }, { "dot", 2 ^ 63, "" },
  { "dot", 1.9, "" }, { "dot", -0.5, "" }, { "dot", 1.9, "\n." }, { "dot", 2.5, "." }, { "dot", -1, "." },
  { "dot", 2, ".a\r\n.b\r\n..\r\n" }, { "dot", 0, "\r\n." }, { "dot", 1, "\n.." }, { "dot", 2, nil },
  { "dot", 2, "\r" }, { "dot", 2, "\r\n" }, { "dot", 0, "x\n" }, { "dot", "2", "." },
}
for i, spec in ipairs(fixed) do
  local name = spec[1]
  local n = 1
  for k = 2, 4 do if spec[k] ~= nil then n = k end end
  check("fixed " .. i .. " " .. name .. H.showlist(n - 1, table.unpack(spec, 2, n)), core[name], table.unpack(spec, 2, n))
end

-- argument errors: called from Lua code (name from the call site, position of the caller)
-- and through pcall (name found in package.loaded)
local bad = { {}, true, print, "notanumber", 1.5 }
for _, name in ipairs({ "b64", "unb64", "qp", "unqp", "wrp", "qpwrp", "eol", "dot" }) do
  for bi, v in ipairs(bad) do
    for pos = 1, 3 do
      local args = { "x", "y", "z" }
      if name == "wrp" or name == "qpwrp" or name == "eol" or name == "dot" then args = { 1, "y", 5 } end
      if name == "eol" then args[3] = "m" end
      args[pos] = v
      local label = "argerr " .. name .. " bad" .. bi .. " at " .. pos
      check(label .. " pcall", core[name], args[1], args[2], args[3])
      check(label .. " field call", function() local r = { mime[name](args[1], args[2], args[3]) }; return table.unpack(r) end)
      local f = core[name]
      check(label .. " local call", function() local r = { f(args[1], args[2], args[3]) }; return table.unpack(r) end)
    end
  end
  check("argerr " .. name .. " no args", function() local r = { mime[name]() }; return table.unpack(r) end)
  check("argerr " .. name .. " method call", function() local r = { mime[name](mime) }; return table.unpack(r) end)
end
check("argerr method syntax", function() local r = { mime:wrp() }; return table.unpack(r) end)
check("argerr method syntax 2", function() local r = { mime:b64() }; return table.unpack(r) end)
check("argerr __name", function() local r = { mime.b64(setmetatable({}, { __name = "MyType" })) }; return table.unpack(r) end)
check("argerr file", function() local r = { mime.b64(io.stdout) }; return table.unpack(r) end)

-- high-level filters over ltn12, fed in random pieces
local function run_filter(label, filter, data, maxp)
  local pieces = H.random_split(data, maxp)
  local t = {}
  local ok, err = pcall(ltn12.pump.all, ltn12.source.table(pieces), ltn12.sink.chain(filter, (ltn12.sink.table(t))))
  if not ok then case(label, "error " .. show(H.normalize(err))) return end
  local sizes = {}
  for i, c in ipairs(t) do sizes[i] = #c end
  case(label, show(table.concat(t)) .. " chunks " .. table.concat(sizes, ","))
end
for round = 1, 60 do
  local kind = kinds[(round % 4) + 1]
  local data = input(kind, 3000)
  local maxp = math.random(1, 700)
  local tag = "h" .. round .. " " .. kind
  run_filter(tag .. " encode base64", mime.encode("base64"), data, maxp)
  run_filter(tag .. " encode qp", mime.encode("quoted-printable"), data, maxp)
  run_filter(tag .. " encode qp binary", mime.encode("quoted-printable", "binary"), data, maxp)
  run_filter(tag .. " decode base64", mime.decode("base64"), data, maxp)
  run_filter(tag .. " decode qp", mime.decode("quoted-printable"), data, maxp)
  run_filter(tag .. " wrap", mime.wrap(), data, maxp)
  run_filter(tag .. " wrap text 10", mime.wrap("text", 10), data, maxp)
  run_filter(tag .. " wrap 20", mime.wrap(20), data, maxp)
  run_filter(tag .. " wrap base64", mime.wrap("base64"), data, maxp)
  run_filter(tag .. " wrap qp", mime.wrap("quoted-printable"), data, maxp)
  run_filter(tag .. " normalize", mime.normalize(), data, maxp)
  run_filter(tag .. " normalize LF", mime.normalize("\n"), data, maxp)
  run_filter(tag .. " stuff", mime.stuff(), data, maxp)
  run_filter(tag .. " base64 chain", ltn12.filter.chain(mime.encode("base64"), mime.wrap("base64")), data, maxp)
  run_filter(tag .. " qp chain", ltn12.filter.chain(mime.normalize(), mime.encode("quoted-printable"),
    mime.wrap("quoted-printable")), data, maxp)
  run_filter(tag .. " roundtrip", ltn12.filter.chain(mime.encode("base64"), mime.wrap(), mime.decode("base64")), data, maxp)
end
check("encode unknown", function() local f = mime.encode("rot13"); return f end)
check("encode nil", function() local f = mime.encode(); return f end)
check("decode number", function() local f = mime.decode(5); return f end)
check("wrap unknown", function() local f = mime.wrap("nope", 5); return f end)
check("encode via pcall", mime.encode, "nope")
local function level3() return mime.encode("bad") end
check("encode level 3", function() local f = level3(); return f end)
case("encodet keys", (function() local k = {} for n in pairs(mime.encodet) do k[#k + 1] = n end table.sort(k) return table.concat(k, " ") end)())
case("wrapt keys", (function() local k = {} for n in pairs(mime.wrapt) do k[#k + 1] = n end table.sort(k) return table.concat(k, " ") end)())
mime.encodet["upper"] = function(x) return function(c) return c and c:upper() .. tostring(x) end end
check("encodet extension", function() return mime.encode("upper", "!")("abc") end)
check("wrapt shared", function() return mime.wrapt.text == mime.wrapt.base64 and mime.wrapt.base64 == mime.wrapt.default end)

H.finish()
