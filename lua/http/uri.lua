-- RFC 3986 URIs as lua-http reads them (it uses lpeg_patterns' grammar, a C-backed LPeg one): a table
-- of scheme (lower-cased), userinfo, host (lower-cased; IP literals in canonical form), port (an
-- integer, nil when empty), path (nil when empty), query, fragment; nil for text that is not a URI.
-- Percent-escapes are normalised: unreserved characters decoded, the rest upper-case hex.
local tonumber, format, char = tonumber, string.format, string.char
local util = require("http.util")

local M = {}

local function unreserved(c)
  return c:find("^[%w%-._~]$") ~= nil
end

-- Normalises escapes; nil when s has a byte outside `allowed` (a Lua character-class body).
local function normalise(s, allowed, lower)
  local bad = false
  local out = s:gsub("%%(..)", function(hex)
    if not hex:find("^%x%x$") then bad = true; return end
    local c = char(tonumber(hex, 16))
    if unreserved(c) then return lower and c:lower() or c end
    return format("%%%02X", c:byte())
  end)
  if bad then return nil end
  -- What is left besides the escapes must be from the component's alphabet.
  if out:gsub("%%%x%x", ""):find("[^" .. allowed .. "]") then return nil end
  if lower then
    out = out:gsub("%%%x%x", "\0%0"):gsub("[^%z]+", string.lower):gsub("%z", "")
  end
  return out
end

local SUB_DELIMS = "!$&'()*+,;="
local UNRESERVED = "%w%-._~"
local PCHAR = UNRESERVED .. "%%" .. SUB_DELIMS .. ":@"

-- An IPv6 literal in lpeg_patterns' canonical form: eight lower-case hex groups, no compression.
local function expand6(s)
  if not util.is_ip(s) or s:find("%%") or not s:find(":") then return nil end
  local head, tail = s:match("^(.-)::(.*)$")
  local function groups(part)
    local list = {}
    if part == nil or part == "" then return list end
    for g in (part .. ":"):gmatch("([^:]*):") do
      if g:find("%.") then
        local a, b, c, d = g:match("(%d+)%.(%d+)%.(%d+)%.(%d+)")
        list[#list + 1] = tonumber(a) * 256 + tonumber(b)
        list[#list + 1] = tonumber(c) * 256 + tonumber(d)
      else
        list[#list + 1] = tonumber(g, 16)
      end
    end
    return list
  end
  local left, right = groups(head or s), groups(tail)
  local all = {}
  for _, g in ipairs(left) do all[#all + 1] = g end
  if head then for _ = 1, 8 - #left - #right do all[#all + 1] = 0 end end
  for _, g in ipairs(right) do all[#all + 1] = g end
  for i, g in ipairs(all) do all[i] = format("%x", g) end
  return table.concat(all, ":")
end

local function host(s)
  local literal = s:match("^%[(.*)%]$")
  if literal then return expand6(literal) end
  local a, b, c, d = s:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  if a and util.is_ip(s) then return format("%d.%d.%d.%d", a, b, c, d) end
  if s == "" then return false end
  return normalise(s, UNRESERVED .. SUB_DELIMS, true)
end

-- "//authority path": fills t; false when the authority is malformed.
local function authority(rest, t)
  local auth, path = rest:match("^([^/?#]*)(.*)$")
  local userinfo, hostport = auth:match("^(.*)@(.*)$")
  if userinfo then
    t.userinfo = normalise(userinfo, UNRESERVED .. SUB_DELIMS .. ":")
    if not t.userinfo then return false end
  else
    hostport = auth
  end
  local h, port = hostport:match("^(.*):(%d*)$")
  if not h or (h:find(":") and not h:find("^%[.*%]$")) then h, port = hostport, nil end
  local hv = host(h)
  if hv == nil then return false end
  t.host = hv or nil
  if port and port ~= "" then t.port = tonumber(port) end
  return path
end

local function tail(rest, t)
  local path, query, fragment = rest:match("^([^?#]*)%??([^#]*)(#?.*)$")
  local hasquery = rest:sub(#path + 1, #path + 1) == "?"
  if path ~= "" then
    t.path = normalise(path, PCHAR .. "/")
    if not t.path then return nil end
  end
  if hasquery then
    t.query = normalise(query, PCHAR .. "/?")
    if not t.query then return nil end
  end
  if fragment ~= "" then
    t.fragment = normalise(fragment:sub(2), PCHAR .. "/?")
    if not t.fragment then return nil end
  end
  return t
end

local function relative(s, t)
  if s:sub(1, 2) == "//" then
    local rest = authority(s:sub(3), t)
    if not rest then return nil end
    if rest ~= "" and rest:sub(1, 1) ~= "/" and rest:sub(1, 1) ~= "?" and rest:sub(1, 1) ~= "#" then return nil end
    return tail(rest, t)
  end
  return tail(s, t)
end

--- parse(s): an absolute URI (with scheme), or nil.
function M.parse(s)
  local scheme, rest = s:match("^(%a[%w+%-.]*):(.*)$")
  if not scheme then return nil end
  return relative(rest, { scheme = scheme:lower() })
end

--- parse_reference(s): an absolute URI or a relative reference, or nil.
function M.parse_reference(s)
  if s:find("^%a[%w+%-.]*:") then
    local t = M.parse(s)
    if t then return t end
  end
  local first = s:match("^[^/?#]*")
  -- A relative path's first segment cannot hold a ":" (it would read as a scheme).
  if first:find(":") then return nil end
  return relative(s, {})
end

return M
