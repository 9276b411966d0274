-- lua-cjson 2.1.0's API case by case: module fields, every setting and its argument errors, number
-- formatting, escaping, arrays vs objects (sparse, mixed, holes, odd keys), depth limits, invalid
-- numbers both ways, decode tokens, positions in error messages, and cjson.safe.
local cjson = require("cjson")
local safe = require("cjson.safe")
local D = dofile("test/lua/support/json-dump.lua")
local canonical = dofile("test/lua/support/json-canonical.lua")
local show, run = D.show, D.run

local function case(label, text) print(label .. " => " .. text) end
-- encode: the canonical text (object members sorted) or the error.
local function enc(label, v, mod)
  mod = mod or cjson
  local ok, r = pcall(mod.encode, v)
  case("encode " .. label, ok and canonical(r) or "error " .. tostring(r))
end
local function dec(text, mod)
  mod = mod or cjson
  case("decode " .. string.format("%q", text):gsub("\\\n", "\\n"), run(mod.decode, text))
end

-- Module fields
local names = {}
for k, v in pairs(cjson) do names[#names + 1] = k .. ":" .. type(v) end
table.sort(names)
print("cjson fields", table.concat(names, " "))
names = {}
for k, v in pairs(safe) do names[#names + 1] = k .. ":" .. type(v) end
table.sort(names)
print("safe fields", table.concat(names, " "))
print("version", cjson._NAME, cjson._VERSION, safe._VERSION)
print("null", tostring(cjson.null), type(cjson.null), cjson.null == safe.null, cjson.null == cjson.new().null)
print("null encodes", cjson.encode(cjson.null), cjson.encode({ cjson.null, a = nil }))

-- Settings: defaults, returns, argument errors
case("defaults", run(function()
  return cjson.encode_sparse_array(), cjson.encode_max_depth(), cjson.decode_max_depth(),
    cjson.encode_number_precision(), cjson.encode_keep_buffer(), cjson.encode_invalid_numbers(),
    cjson.decode_invalid_numbers()
end))
local settings = {
  { "encode_max_depth", { 5, "7", 7.0, 0, -1, 2147483647, 2147483648, 2 ^ 32 + 5, 1.5, "x", {}, true, cjson.null, "0x10" } },
  { "decode_max_depth", { 3, 0, 2147483648 + 1000, 1000 } },
  { "encode_number_precision", { 1, 14, 15, 0, "3", 3.5, 14 } },
  { "encode_keep_buffer", { false, true, "off", "on", "maybe", 1, 0, {}, true } },
  { "encode_invalid_numbers", { "null", "on", "off", true, false, "yes", 2, {} } },
  { "decode_invalid_numbers", { false, "on", "off", "null", true } },
}
for _, s in ipairs(settings) do
  local name, values = s[1], s[2]
  for _, v in ipairs(values) do
    case(name .. "(" .. show(v) .. ")", run(cjson[name], v))
  end
  case(name .. "()", run(cjson[name]))
  case(name .. "(nil)", run(cjson[name], nil))
  case(name .. "(1, 2)", run(cjson[name], 1, 2))
  -- put the default back
  cjson[name](({ encode_max_depth = 1000, decode_max_depth = 1000, encode_number_precision = 14,
    encode_keep_buffer = true, encode_invalid_numbers = false, decode_invalid_numbers = true })[name])
end
-- each entry: the argument count, then the arguments
for _, args in ipairs {
  { 0 }, { 1, true }, { 2, false, 3 }, { 3, "on", 0, 0 }, { 3, nil, nil, 20 }, { 2, true, -1 }, { 3, true, 1, -1 },
  { 1, "yes" }, { 2, true, "x" }, { 3, true, 1, "y" }, { 2, true, 1.5 }, { 4, 1, 2, 3, 4 }, { 1, 5 },
  { 2, true, 2 ^ 32 + 3 }, { 3, false, 2, 10 },
} do
  case("encode_sparse_array" .. show({ table.unpack(args, 2, args[1] + 1) }), run(cjson.encode_sparse_array, table.unpack(args, 2, args[1] + 1)))
end
cjson.encode_sparse_array(false, 2, 10)

-- Argument counts and types (positions are the caller's line)
case("encode()", run(function() local r = cjson.encode() return r end))
case("encode(1, 2)", run(function() local r = cjson.encode(1, 2) return r end))
case("decode()", run(function() local r = cjson.decode() return r end))
case("decode(nil)", run(function() local r = cjson.decode(nil) return r end))
case("decode({})", run(function() local r = cjson.decode({}) return r end))
case("decode(true)", run(function() local r = cjson.decode(true) return r end))
case("decode(12.5)", run(function() local r = cjson.decode(12.5) return r end))
case("decode(7)", run(function() local r = cjson.decode(7) return r end))
case("decode via pcall", run(cjson.decode, {}))
case("encode via local", run(function() local e = cjson.encode local r = e(1, 2) return r end))
case("method call", run(function() local r = cjson:encode() return r end))
case("encode error position", run(function() local r = cjson.encode({ print }) return r end))
case("decode error position", run(function() local r = cjson.decode("[1,") return r end))

-- Numbers
for _, n in ipairs {
  0, -0.0, 1, -1, 0.1, 1 / 3, 2 / 3, 1e15, 1e16, 123456789012345, 1234567890123456, 2 ^ 53, 2 ^ 53 + 1,
  math.maxinteger, math.mininteger, 1e300, 1e-300, 5e-324, 2.5e-310, 1.7976931348623157e308, 3.14159265358979,
  100, 1e21, 12345678901234567890, 0.000001, 0.0000001, 1.5, -2.25, 255 / 256,
} do
  enc(show(n), n)
  enc("key " .. show(n), { [n] = 1, x = true })
end
for p = 1, 14 do
  cjson.encode_number_precision(p)
  case("precision " .. p, cjson.encode({ 1 / 3, 123456.789, 1e-5, 9.999999, 2 ^ 60, 0.5, 100 }))
end
cjson.encode_number_precision(14)
for _, mode in ipairs { false, true, "null" } do
  cjson.encode_invalid_numbers(mode)
  enc("invalid " .. tostring(mode) .. " nan", 0 / 0)
  enc("invalid " .. tostring(mode) .. " -nan", -(0 / 0))
  enc("invalid " .. tostring(mode) .. " inf", math.huge)
  enc("invalid " .. tostring(mode) .. " -inf", -math.huge)
  enc("invalid " .. tostring(mode) .. " list", { 1, math.huge, 2 })
  enc("invalid " .. tostring(mode) .. " key", { [math.huge] = 1 })
  enc("invalid " .. tostring(mode) .. " -key", { [-math.huge] = 1 })
end
cjson.encode_invalid_numbers(false)

-- Strings and escaping
local all = {}
for b = 0, 255 do all[#all + 1] = string.char(b) end
enc("all bytes", table.concat(all))
enc("slashes", "http://x/y\\z")
enc("quote key", { ['a"b/c\\d\n'] = "\0\1\127" })
enc("utf8", "h\195\169llo \226\130\172 \240\159\152\128")
enc("empty", "")
enc("nul", "a\0b")

-- Tables: arrays, objects, holes, sparse, mixed
enc("empty table", {})
enc("array", { 1, "two", true, false, cjson.null })
enc("holes", { 1, nil, 3 })
enc("trailing nil", { nil, nil, 3 })
enc("nested", { { {} }, { a = { b = {} } } })
enc("mixed", { 1, 2, x = 3 })
enc("float key 1.0", { [1.0] = "a", [2] = "b" })
enc("key 0", { [0] = "z", "a" })
enc("key -1", { [-1] = "m" })
enc("key 1.5", { [1.5] = "h" })
enc("bool key", { [true] = 1 })
enc("table key", { [{}] = 1 })
enc("function value", { f = print })
enc("coroutine", coroutine.create(print))
enc("sparse 10", { [10] = 1 })
enc("sparse 11", { [11] = 1 })
enc("sparse 20/10", { [20] = 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })
enc("sparse 21/10", { [21] = 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })
enc("huge index", { [2 ^ 40] = 1 })
enc("huge index + 1", { 1, [2 ^ 40] = 1 })
enc("index 2^31", { [2 ^ 31] = 1 })
enc("index 2^31-1", { [2 ^ 31 - 1] = 1 })
enc("inf index", { [math.huge] = 1 })
cjson.encode_sparse_array(true)
enc("convert sparse 11", { [11] = 1 })
enc("convert sparse 3", { [3] = "x" })
cjson.encode_sparse_array(false, 0)
enc("ratio 0 sparse 30", { [30] = 1 })
cjson.encode_sparse_array(false, 1, 0)
enc("ratio 1 safe 0", { 1, 2, nil, 4 })
enc("ratio 1 safe 0 dense", { 1, 2, 3 })
cjson.encode_sparse_array(false, 2, 10)
enc("metatable ignored", setmetatable({}, { __index = function() return 1 end, __pairs = error, __len = function() return 5 end }))
enc("metatable array", setmetatable({ 1, 2 }, { __index = { 3, 4, 5 } }))

-- Depth
local deep = {}
local cur = deep
for _ = 1, 1005 do cur[1] = {} cur = cur[1] end
enc("depth 1005", deep)
cjson.encode_max_depth(3)
enc("depth limit 3 ok", { { { 1 } } })
enc("depth limit 3 over", { { { {} } } })
enc("depth limit 3 in object", { a = { b = { c = { d = 1 } } } })
cjson.encode_max_depth(1000)
local rec = {}
rec[1] = rec
enc("recursive", rec)
cjson.decode_max_depth(3)
dec("[[[1]]]")
dec("[[[[1]]]]")
dec('{"a":{"b":{"c":{}}}}')
dec("  [ [ [ [ ] ] ] ]")
cjson.decode_max_depth(1000)
dec(string.rep("[", 1001) .. string.rep("]", 1001))
dec(string.rep("[", 1000) .. string.rep("]", 1000))
-- Far deeper than the defaults (luahttp's parser keeps its own stack; the C one recurses)
cjson.decode_max_depth(30000)
cjson.encode_max_depth(30000)
case("deep decode", run(function()
  local v = cjson.decode(string.rep("[", 20000) .. "7" .. string.rep("]", 20000))
  local d = 0
  while type(v) == "table" do d = d + 1 v = v[1] end
  return d, v
end))
case("deep encode", run(function()
  local t = {}
  local c = t
  for _ = 1, 19999 do c[1] = {} c = c[1] end
  local s = cjson.encode(t)
  return #s, s:sub(1, 5), s:sub(-5)
end))
dec(string.rep("[", 30001))
cjson.decode_max_depth(1000)
cjson.encode_max_depth(1000)

-- Decoding: literals, numbers, strings, structure errors
for _, text in ipairs {
  "null", "true", "false", "0", "-0", "1", "-1", "1.5", "1e3", "1E-3", "1e+3", "-1.25e-2", "123456789012345678901234567890",
  "1.7976931348623157e308", "1e309", "-1e309", "1e-400", "4.9e-324", "0.1", "9007199254740993",
  "01", "-01", "00", "0x10", "0X1f", "-0x10", "0x1.8p1", "0x", "0x.8", "0xg", "+1", "+0x10", "inf", "-inf", "Infinity",
  "-Infinity", "INF", "infinite", "nan", "-nan", "NaN", "nan(123)", "nan(", "nan(x y)", "Nan", "-", "+", "--1", "-.5", ".5",
  "1.", "1.e2", "1e", "1e+", "5 5", "1,2", "tru", "trueX", "nul", "nullnull", "falsey", "t", "f", "n", "N", "i", "I",
  '"abc"', '"a\\"b"', '"\\\\"', '"\\/"', '"\\b\\f\\n\\r\\t"', '"\\u0041\\u00e9\\u20ac"', '"\\u0000"', '"\\uD83D\\uDE00"',
  '"\\ud83d\\ude00"', '"\\uD83D"', '"\\uDE00"', '"\\uD83Dx"', '"\\uD83D\\u0041"', '"\\uD83D\\uD83D"', '"\\u12"', '"\\u12G4"',
  '"\\x"', '"\\', '"abc', '"a\0b"', '"\1\31\127\255"', '"tab\there"', '""',
  "[]", "{}", "[1,2,3]", "[1,]", "[,1]", "[1 2]", "[", "]", "{", "}", '{"a":1}', '{"a" 1}', '{"a":}', '{1:2}', '{"a":1,}',
  '{"a":1 "b":2}', '{"a":1,"a":2}', '[null,null]', '[1,null,3]', '{"k":null}', "[[],{}]", '{"":""}',
  "  \t\r\n [ 1 ] \n", "[1]\0garbage", "\0", "", " ", "1\0", "[1] x", "[1] [2]", "\239\187\191[1]", "[\"\\u00e9\"]",
  "\v[1]", "[\f1]", "@", "'a'", "[1] // c", "/*c*/[1]",
} do
  dec(text)
end
cjson.decode_invalid_numbers(false)
for _, text in ipairs {
  "1", "-1", "01", "-01", "0x10", "+1", "inf", "-inf", "nan", "Infinity", "-0", "0", "0.5", "-.5", "1e5", "0e0", "-x", "-", "-\200",
} do
  dec(text)
end
cjson.decode_invalid_numbers(true)
dec("a\0")
dec("\0a")
dec("ab")

-- cjson.safe
case("safe encode function", run(safe.encode, print))
case("safe encode ok", run(safe.encode, { 1, 2 }))
case("safe decode bad", run(safe.decode, "[1,"))
case("safe decode table", run(safe.decode, {}))
case("safe decode utf16", run(safe.decode, "\0[\0]"))
case("safe encode()", run(function() local r = safe.encode() return r end))
case("safe decode(1, 2)", run(function() local r = safe.decode(1, 2) return r end))
case("safe settings are separate", run(function()
  safe.encode_max_depth(2)
  return cjson.encode_max_depth(), safe.encode_max_depth(), safe.encode({ { { 1 } } })
end))
local s2 = safe.new()
case("safe.new", run(function() return s2.encode_max_depth(), s2.encode(print) end))
local c2 = cjson.new()
c2.encode_number_precision(3)
case("cjson.new separate", run(function() return c2.encode(1 / 3), cjson.encode(1 / 3), c2.new ~= cjson.new end))
case("new() of new()", run(function() return c2.new().encode_number_precision() end))
