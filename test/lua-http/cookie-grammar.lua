-- http.cookie's Cookie and Set-Cookie grammars on 20,000 generated headers (fragments chosen by
-- Lua 5.4's seeded generator, identical in both runtimes): how many parse, and a digest of every
-- result, so any input the two implementations read differently changes the output. Also the
-- first few results in full.
local cookie = require "http.cookie"
local frags = { "a", "b", "B", "=", ";", " ", "\t", '"', ",", "\\", "\1", "\200", ".", "/", "-", "x=y", "; ",
  "Path=/", " = ", "Secure", "a b", '="q"', "\127", "  ;", "Max-Age=10", "X Y = z w ", "\t=", " \t", "=;", "==" }
local function ser(t)
  if type(t) ~= "table" then return tostring(t) end
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do out[#out + 1] = string.format("%q=%s", k, type(t[k]) == "string" and string.format("%q", t[k]) or tostring(t[k])) end
  return "{" .. table.concat(out, ",") .. "}"
end
-- A 32-bit FNV-1a digest of the serialised results.
local digest = 2166136261
local function feed(s)
  for i = 1, #s do digest = ((digest ~ s:byte(i)) * 16777619) & 0xffffffff end
end
math.randomseed(42)
local parsed_set, parsed_cookie = 0, 0
for i = 1, 20000 do
  local parts = {}
  for j = 1, math.random(1, 10) do parts[j] = frags[math.random(#frags)] end
  local s = table.concat(parts)
  if math.random(2) == 1 then s = "n=v" .. s end
  local name, value, params = cookie.parse_setcookie(s)
  local c = cookie.parse_cookie(s)
  if name then parsed_set = parsed_set + 1 end
  if c then parsed_cookie = parsed_cookie + 1 end
  local line = string.format("%q %s %s %s %s", s, tostring(name), tostring(value), ser(params), ser(c))
  feed(line)
  if i <= 12 then print(line) end
end
print("set-cookie parsed", parsed_set, "cookie parsed", parsed_cookie, "digest", digest)
