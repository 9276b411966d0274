-- Random documents (seeded, so native lua5.4 and luahttp generate the same ones) through lua-cjson:
-- Lua values encoded (text compared after sorting object members, whose order follows the string
-- hash seed), decoded back, and random JSON texts -- valid ones and byte-level mutations of them --
-- decoded with invalid numbers allowed and refused. Floats are made from bit patterns and decimal
-- strings only (no libm calls), so both generators produce the same numbers.
local cjson = require("cjson")
local D = dofile("test/lua/support/json-dump.lua")
local canonical = dofile("test/lua/support/json-canonical.lua")
local show = D.show

math.randomseed(20261203)
local random = math.random

local function float_from_bits()
  return (string.unpack("<d", string.pack("<i8", random(math.mininteger, math.maxinteger))))
end

local function decimal_string()
  local digits = {}
  for i = 1, random(1, 20) do digits[i] = tostring(random(0, 9)) end
  local s = table.concat(digits)
  local dot = random(0, #s)
  if dot > 0 and dot < #s then s = s:sub(1, dot) .. "." .. s:sub(dot + 1) end
  if random(3) == 1 then s = s .. (random(2) == 1 and "e" or "E") .. ({ "", "+", "-" })[random(3)] .. random(0, 330) end
  if random(4) == 1 then s = "-" .. s end
  return s
end

local function random_number()
  local k = random(10)
  if k == 1 then return random(-1000, 1000) end
  if k == 2 then return random(math.mininteger, math.maxinteger) end
  if k == 3 then return random(-2 ^ 53, 2 ^ 53) + 0.0 end
  if k <= 6 then
    local f = float_from_bits()
    if f ~= f or f == math.huge or f == -math.huge then return 0.5 end
    return f
  end
  return tonumber(decimal_string()) + 0.0
end

local ALPHABET = { "a", "b", "Z", " ", "/", "\\", '"', "\n", "\t", "\0", "\1", "\31", "\127", "\128", "\255",
  "\195\169", "\226\130\172", "\240\159\152\128", "{", "}", "[", "]", ",", ":", "u", "0" }
local function random_string()
  local parts = {}
  for i = 1, random(0, 12) do
    parts[i] = random(3) == 1 and string.char(random(0, 255)) or ALPHABET[random(#ALPHABET)]
  end
  return table.concat(parts)
end

local function random_value(depth)
  local k = random(depth > 4 and 6 or 10)
  if k == 1 then return random_number() end
  if k == 2 then return random_string() end
  if k == 3 then return random(2) == 1 end
  if k == 4 then return cjson.null end
  if k == 5 then return random_number() end
  if k == 6 then return random_string() end
  local t = {}
  if k == 7 or k == 8 then -- array, maybe with holes or beyond the sparse limits
    local n = random(0, 8)
    for i = 1, n do if random(6) > 1 then t[i] = random_value(depth + 1) end end
    if random(6) == 1 then t[random(9, 40)] = random_value(depth + 1) end
  elseif k == 9 then -- object with string keys
    for _ = 1, random(0, 6) do t[random_string()] = random_value(depth + 1) end
  else -- mixed keys
    for _ = 1, random(1, 5) do
      local key = ({ random(-3, 12), random_string(), random(1, 30) + 0.5, random(1, 5) + 0.0 })[random(4)]
      t[key] = random_value(depth + 1)
    end
  end
  return t
end

-- Lua values: encode, then decode the text back
local encoded = {}
for i = 1, 400 do
  local v = random_value(0)
  local ok, text = pcall(cjson.encode, v)
  if ok then
    encoded[#encoded + 1] = canonical(text)
    print(i, "encode", canonical(text))
    local ok2, back = pcall(cjson.decode, text)
    print(i, "decode", ok2, show(back))
  else
    print(i, "encode error", text)
  end
end

-- The same with other settings
cjson.encode_sparse_array(true, 3, 5)
cjson.encode_number_precision(6)
cjson.encode_invalid_numbers("null")
for i = 1, 150 do
  local v = random_value(0)
  if random(5) == 1 then v = { v, 0 / 0, math.huge, -math.huge } end
  local ok, text = pcall(cjson.encode, v)
  print(i, "settings encode", ok, ok and canonical(text) or text)
end
cjson.encode_sparse_array(false, 2, 10)
cjson.encode_number_precision(14)
cjson.encode_invalid_numbers(false)

-- JSON texts: written by hand-rolled rules (escapes, number forms, whitespace), then mutated
local WS = { "", "", " ", "\t", "\n", "\r\n ", "  " }
local function ws() return WS[random(#WS)] end
local ESCAPES = { "\\n", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\r", "\\t", "\\u0041", "\\u00e9", "\\u20AC", "\\uD83D\\uDE00",
  "\\udbff\\udfff", "\\u0000", "\\uDC00", "\\uD800", "\\u12", "\\q", "\\uD800\\u0041" }
local NUMBERS = { "0", "-0", "1", "-12", "3.25", "1e5", "1E-7", "-0.0e+2", "01", "0x1F", "+3", "inf", "-Infinity", "nan",
  "NaN", "1.", ".5", "-", "1e", "0x", "9007199254740993", "1e400" }
local function random_text(depth)
  local k = random(depth > 4 and 5 or 8)
  if k == 1 then return NUMBERS[random(#NUMBERS)] end
  if k == 2 then return decimal_string() end
  if k == 3 then
    local parts = {}
    for i = 1, random(0, 6) do
      parts[i] = random(2) == 1 and ESCAPES[random(#ESCAPES)] or (random_string():gsub('[\\"%z]', "x"))
    end
    return '"' .. table.concat(parts) .. '"'
  end
  if k == 4 then return ({ "true", "false", "null" })[random(3)] end
  if k == 5 then return encoded[random(#encoded)] end
  if k == 6 or k == 7 then
    local items = {}
    for i = 1, random(0, 5) do items[i] = ws() .. random_text(depth + 1) .. ws() end
    return "[" .. table.concat(items, ",") .. "]"
  end
  local items = {}
  for i = 1, random(0, 5) do items[i] = ws() .. '"' .. (random_string():gsub('[\\"%z]', "k")) .. '"' .. ws() .. ":" .. ws() .. random_text(depth + 1) end
  return "{" .. table.concat(items, ",") .. "}"
end

local function mutate(s)
  for _ = 1, random(1, 3) do
    local pos = random(1, #s + 1)
    local op = random(3)
    local byte = ({ "", "\0", ",", "]", "}", "[", "{", '"', "\\", ":", "x", "1", "-", " ", "e", "." })[random(16)]
    if op == 1 then s = s:sub(1, pos - 1) .. s:sub(pos + 1)
    elseif op == 2 then s = s:sub(1, pos - 1) .. byte .. s:sub(pos)
    else s = s:sub(1, pos - 1) .. byte .. s:sub(pos + 1) end
  end
  return s
end

for i = 1, 600 do
  local text = random_text(0)
  if random(3) == 1 then text = mutate(text) end
  text = ws() .. text .. ws()
  print(i, "text", string.format("%q", text):gsub("\\\n", "\\n"))
  print(i, "decode", D.run(cjson.decode, text))
  cjson.decode_invalid_numbers(false)
  print(i, "strict", D.run(cjson.decode, text))
  cjson.decode_invalid_numbers(true)
end
