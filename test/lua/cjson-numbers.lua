-- cjson's number text ("%.<precision>g" of the value as a double) at every precision, for numbers
-- where formatting goes wrong: exact decimal ties (round half to even on the exact binary value),
-- integers past 2^53, powers of two, subnormals, the %g switch between fixed and exponent forms,
-- and random doubles made from bit patterns and decimal strings (no libm calls, so both
-- interpreters make the same numbers). Also as object keys, and decoded back.
local cjson = require("cjson")

math.randomseed(7041)
local random = math.random

local numbers = {
  0, -0.0, 0.5, 1.5, 2.5, 3.5, -2.5, 0.125, 0.375, 1.25, 2.675, 1.005, 0.45, 1e-5, 1e-4, 9.99995e-5, 0.0001,
  123456.5, 1234567.5, 99999.95, 999999.5, 9999999, 99999999999999, 999999999999999, 123456789012345,
  1e14, 1e15, 1e16, 2 ^ 52, 2 ^ 53, 2 ^ 53 + 2, 2 ^ 63, 2 ^ 64, 2 ^ 100, 2 ^ -10, 2 ^ -20, 2 ^ -1074, 2 ^ -1022,
  1.7976931348623157e308, 4.9406564584124654e-324, 2.2250738585072014e-308, 0.1, 0.2, 0.3, 1 / 3, 2 / 3,
  5e-324, 1e21, 1e22, 1e23, 12345678901234567890, math.maxinteger, math.mininteger, -1, 100, 1000000, 15, 25,
  125, 1250, 0.0625, 6.25, 62.5, 625, 9.5, 95, 0.95, 8.5e-5, 4503599627370497, 4503599627370497.5,
}
for i = 1, 1500 do
  local k = random(3)
  local v
  if k == 1 then
    v = string.unpack("<d", string.pack("<i8", random(math.mininteger, math.maxinteger)))
    if v ~= v or v == math.huge or v == -math.huge then v = i end
  elseif k == 2 then
    -- decimal ties and near-ties: digits followed by 5 at random positions
    local digits = tostring(random(1, 99999999)) .. "5"
    local dot = random(0, #digits)
    v = tonumber(digits:sub(1, dot) .. "." .. digits:sub(dot + 1) .. "e" .. random(-20, 20))
  else
    -- integers and halves of integers: exact in binary, so their ties are real ties
    v = random(-2 ^ 40, 2 ^ 40) / (2 ^ random(0, 12))
  end
  numbers[#numbers + 1] = v
end

for p = 1, 14 do
  cjson.encode_number_precision(p)
  local text = cjson.encode(numbers)
  print(p, #text)
  for piece in (text:sub(2, -2) .. ","):gmatch("([^,]*),") do io.write(piece, " ") end
  io.write("\n")
end
cjson.encode_number_precision(14)

-- As object keys (one per object: the order of several keys follows the hash seed)
for i = 1, 80 do print("key", pcall(cjson.encode, { [numbers[i]] = true })) end

-- Decoded back: the double each text gives
local back = cjson.decode(cjson.encode(numbers))
for i = 1, #numbers, 7 do io.write(string.format("%.17g", back[i]), " ") end
io.write("\n")
