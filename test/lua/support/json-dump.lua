-- Deterministic rendering for the cjson scripts (loaded with dofile by native lua5.4 and luahttp):
-- tables with sorted keys, numbers with their subtype and all 17 digits, cjson.null by name, and
-- pcall outcomes with every result.
local M = {}
local null = require("cjson").null

local function key_less(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta < tb end
  if ta == "number" or ta == "string" then return a < b end
  return false
end

function M.show(v, depth)
  local t = type(v)
  if t == "string" then return (string.format("%q", v):gsub("\\\n", "\\n")) end
  if t == "number" then
    if v ~= v then return "nan" end
    if math.type(v) == "integer" then return tostring(v) .. "i" end
    return string.format("%.17g", v)
  end
  if v == null then return "null" end
  if t == "table" then
    depth = depth or 0
    if depth > 40 then return "{...}" end
    local keys = {}
    for k in next, v do keys[#keys + 1] = k end
    table.sort(keys, key_less)
    local parts = {}
    for i, k in ipairs(keys) do parts[i] = "[" .. M.show(k, depth + 1) .. "]=" .. M.show(rawget(v, k), depth + 1) end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  return tostring(v)
end

-- pcall(f, ...) rendered: "ok" and each result, or "error" and the message (positions kept: they are
-- part of what is compared).
function M.run(f, ...)
  local r = table.pack(pcall(f, ...))
  local parts = {}
  for i = 2, r.n do parts[#parts + 1] = M.show(r[i]) end
  return (r[1] and "ok " or "error ") .. table.concat(parts, " ")
end

return M
