-- http.util with lua-http 0.4's observable behaviour, written for luahttp (lua-http builds its IP and
-- token checks on LPeg, a C module; here they are plain Lua pattern checks of the same grammars).
local format, char, byte, tonumber = string.format, string.char, string.byte, tonumber
local concat = table.concat

local function percent(c)
  return format("%%%02X", byte(c))
end

-- Parameters are named `str` as lua-http's, so a non-string argument raises the same message.
-- JavaScript's encodeURI: keeps URI syntax characters (; , / ? : @ & = + $ #) and the unreserved ones.
local function encodeURI(str)
  return (str:gsub("[^;,/?:@&=+$%w%-_.!~*'()#]", percent))
end

-- JavaScript's encodeURIComponent: keeps only letters, digits and - _ . ! ~ * ' ( ).
local function encodeURIComponent(str)
  return (str:gsub("[^%w%-_.!~*'()]", percent))
end

-- decodeURI leaves escapes of the characters that mean something in a URI as they are.
local RESERVED = {}
for c in ("#$&+,/:;=?@"):gmatch(".") do RESERVED[byte(c)] = true end

local function decodeURI(str)
  return (str:gsub("%%(%x%x)", function(hex)
    local b = tonumber(hex, 16)
    if not RESERVED[b] then return char(b) end
  end))
end

local function decodeURIComponent(str)
  return (str:gsub("%%(%x%x)", function(hex) return char(tonumber(hex, 16)) end))
end

-- Iterates "a=1&b&c=" as ("a","1"), ("b",nil), ("c",""), names and values percent-decoded. Like
-- lua-http it returns a stateless iterator plus the state of string.gmatch's own.
local function query_args(str)
  local step, state, first = str:gmatch("([^=&]+)(=?)([^&]*)&?")
  return function(st, last)
    local name, eq, value = step(st, last)
    if name == nil then return nil end
    if eq == "" then return decodeURIComponent(name), nil end
    return decodeURIComponent(name), decodeURIComponent(value)
  end, state, first
end

-- pairs order, as lua-http: scripts that need an order build the string themselves.
local function dict_to_query(form)
  local parts, n = {}, 0
  for name, value in pairs(form) do
    n = n + 1
    parts[n] = encodeURIComponent(name) .. "=" .. encodeURIComponent(value)
  end
  return concat(parts, "&", 1, n)
end

-- RFC 3986 dot-segment removal, as lua-http does it: the base's last segment is dropped, empty
-- segments vanish, ".." never climbs above the root, a trailing "/" of the relative path stays.
local function resolve_relative_path(base, rel)
  local segs, n = {}, 0
  local absolute
  if rel:sub(1, 1) == "/" then
    absolute = true
  else
    absolute = base:sub(1, 1) == "/"
    for seg in base:gmatch("([^/]+)/") do n = n + 1; segs[n] = seg end
  end
  for seg in rel:gmatch("[^/]+") do
    if seg == ".." then
      if n > 0 then n = n - 1 end
    elseif seg ~= "." then
      n = n + 1
      segs[n] = seg
    end
  end
  local from = 1
  if absolute then
    if n == 0 then return "/" end
    segs[0], from = "", 0
  end
  if rel:sub(-1) == "/" then n = n + 1; segs[n] = "" end
  return concat(segs, "/", from, n)
end

-- RFC 7231 4.2.1
local SAFE = { GET = true, HEAD = true, OPTIONS = true, TRACE = true }
local function is_safe_method(method)
  return SAFE[method] or false
end

-- An IPv4 dotted quad as LPeg's dec-octet grammar reads it: one or two digits (leading zeros
-- allowed), or three digits from 100 to 255.
local function octet(s)
  if #s <= 2 then return true end
  return s:match("^1%d%d$") or s:match("^2[0-4]%d$") or s:match("^25[0-5]$")
end
local function ipv4(s)
  local a, b, c, d = s:match("^(%d%d?%d?)%.(%d%d?%d?)%.(%d%d?%d?)%.(%d%d?%d?)$")
  return a ~= nil and octet(a) and octet(b) and octet(c) and octet(d) and true or false
end

-- RFC 3986 IPv6address: eight 1-4 digit hex groups, the last two may be an IPv4 address, "::"
-- once stands for one or more zero groups; a zone ("%eth0", any characters) may follow.
local function groups(part)
  local list = {}
  if part == "" then return list end
  for g in (part .. ":"):gmatch("([^:]*):") do list[#list + 1] = g end
  return list
end
local function ipv6(s)
  local addr = s:match("^([^%%]*)%%.+$") or s
  if addr:find("%%") then return false end
  local head, tail = addr:match("^(.-)::(.*)$")
  local left, right = groups(head or addr), head and groups(tail) or {}
  if tail and tail:find("::", 1, true) then return false end
  local count = 0
  local all = {}
  for _, g in ipairs(left) do all[#all + 1] = g end
  for _, g in ipairs(right) do all[#all + 1] = g end
  for i, g in ipairs(all) do
    if i == #all and g:find(".", 1, true) then
      if not ipv4(g) then return false end
      count = count + 2
    elseif g:match("^%x%x?%x?%x?$") then
      count = count + 1
    else
      return false
    end
  end
  if head then return count <= 7 end
  return count == 8
end

local function is_ip(s)
  -- lua-http matches with LPeg, which takes a number as its string form and raises on other types.
  if type(s) == "number" then
    s = tostring(s)
  elseif type(s) ~= "string" then
    error("bad argument #1 to 'match' (string expected, got " .. type(s) .. ")")
  end
  return ipv4(s) or ipv6(s)
end

local scheme_to_port = { http = 80, ws = 80, https = 443, wss = 443 }

-- A Host/:authority value into host and port (the scheme's default when absent); "[v6]" unwrapped.
local function split_authority(authority, scheme)
  local port
  local h, p = authority:match("^[ \t]*(.-):(%d+)[ \t]*$")
  if p then
    authority, port = h, tonumber(p, 10)
  else
    port = scheme_to_port[scheme]
    if port == nil then return nil, "unknown scheme" end
  end
  return authority:match("^%[([:%x]+)%]$") or authority, port
end

-- The reverse: brackets for an IPv6 host, no port when it is the scheme's default.
local function to_authority(host, port, scheme)
  local authority = host
  if host:match("^[%x:]+:[%x:]*$") then authority = "[" .. host .. "]" end
  if port ~= nil and port ~= scheme_to_port[scheme] then
    authority = format("%s:%d", authority, port)
  end
  return authority
end

-- RFC 7231 7.1.1.1 IMF-fixdate.
local function imf_date(time)
  return os.date("!%a, %d %b %Y %H:%M:%S GMT", time)
end

-- A token stays as it is; anything else becomes a quoted-string (\ and " escaped), or nil when it
-- holds a byte a quoted-string cannot (controls other than tab, DEL).
local function maybe_quote(s)
  if s:match("^[!#$%%&'*+%-.^_`|~%w]+$") then return s end
  if s:find("[%z\1-\8\10-\31\127]") then return nil end
  return '"' .. s:gsub('[\\"]', "\\%0") .. '"'
end

-- lua-http's pcall that coroutines can yield across; Lua 5.4's pcall already can.
local yieldable_pcall = pcall

return {
  encodeURI = encodeURI,
  encodeURIComponent = encodeURIComponent,
  decodeURI = decodeURI,
  decodeURIComponent = decodeURIComponent,
  query_args = query_args,
  dict_to_query = dict_to_query,
  resolve_relative_path = resolve_relative_path,
  is_safe_method = is_safe_method,
  is_ip = is_ip,
  scheme_to_port = scheme_to_port,
  split_authority = split_authority,
  to_authority = to_authority,
  imf_date = imf_date,
  maybe_quote = maybe_quote,
  yieldable_pcall = yieldable_pcall,
}
