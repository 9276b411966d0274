-- socket.url: URL parsing, building and resolution with LuaSocket 3.1.0's exact results
-- (including its quirks), written for luahttp. Requires nothing but core Lua; if `socket` is
-- already loaded it is registered as `socket.url` (socket.lua registers it otherwise).

local pairs, tonumber, tostring, type, setmetatable = pairs, tonumber, tostring, type, setmetatable
local string, package = string, package
local find, format, gsub, match, sub = string.find, string.format, string.gsub, string.match, string.sub
local char, rep = string.char, string.rep

local M = { _VERSION = "URL 1.0.3" }

-- byte -> "%xx" for every byte escape() (lowercase hex) and build_path (uppercase) encode, filled
-- on first use: a 256-step loop here was enough Lua at start-up for V8 to begin a 30 ms TurboFan
-- compile of the interpreter, which a short script's exit then waited for.
local function escapes(hex, keep)
  return setmetatable({}, { __index = function(t, c)
    local code = c:byte()
    local hi, lo = (code >> 4) + 1, (code & 15) + 1
    -- hex digits by hand: string.format's first call costs ~1 ms of wasm compilation at start-up
    local v = find(keep, c, 1, true) and c or "%" .. sub(hex, hi, hi) .. sub(hex, lo, lo)
    t[c] = v
    return v
  end })
end
local LOWER_ESCAPE = escapes("0123456789abcdef", "")
-- characters build_path leaves alone besides [A-Za-z0-9_]
local SEGMENT_ESCAPE = escapes("0123456789ABCDEF", "-_.!~*'():@&=+$,")

--- url.escape(s): %xx-encodes (lowercase hex) every byte except [A-Za-z0-9_].
function M.escape(s)
  return (gsub(s, "[^A-Za-z0-9_]", LOWER_ESCAPE))
end

--- url.unescape(s): decodes %XX (either case); malformed escapes and "+" stay as they are.
function M.unescape(s)
  return (gsub(s, "%%(%x%x)", function(hex) return char(tonumber(hex, 16)) end))
end

-- Applies gsub(s, pattern, repl, 1) until the string stops changing (LuaSocket rewrites the
-- leftmost match and rescans, which is not the same as one global gsub).
local function rewrite_leftmost(s, pattern, repl)
  while true do
    local changed = gsub(s, pattern, repl, 1)
    if changed == s then return s end
    s = changed
  end
end

-- LuaSocket's dot-segment removal, which it applies both to paths and to whole URLs. It
-- protects empty segments with a \1 byte and deletes every \1 at the end (including any the
-- input already had).
local GUARD = "\1"
local function remove_dot_segments(path)
  -- method-call syntax on purpose: a nil or number here fails with LuaSocket's own message
  path = path:gsub("/+", function(run) return rep("/", #run, GUARD) end)
  path = rewrite_leftmost(path, "/%./", "/")
  path = rewrite_leftmost(path, "[^/]+/%.%./([^/]+)", "%1")
  path = path:gsub("[^/]+/%.%./*$", "")
  path = path:gsub("/%.%.$", "/")
  path = path:gsub("/%.$", "/")
  path = path:gsub("^/%.%./", "/")
  return (path:gsub(GUARD, ""))
end

-- Merges a relative path onto a base path (RFC 2396 section 5.2 step 6, LuaSocket style).
local function merge_paths(base_path, relative_path)
  if sub(relative_path, 1, 1) == "/" then return remove_dot_segments(relative_path) end
  base_path = base_path:gsub("[^/]*$", "")
  if sub(base_path, -1) ~= "/" then base_path = base_path .. "/" end
  return remove_dot_segments(base_path .. relative_path)
end

-- Splits off the first match of `pattern` (one capture, matching through the end of what it
-- removes): returns the capture and the string without the matched text.
local function cut(s, pattern)
  local from, to, captured = find(s, pattern)
  if not from then return nil, s end
  return captured, sub(s, 1, from - 1) .. sub(s, to + 1)
end

--- url.parse(s [, default]): splits into scheme, authority, userinfo, user, password, host, port, path, params, query, fragment (3.1.0 rules).
function M.parse(s, default)
  local parsed = {}
  for k, v in pairs(default or parsed) do parsed[k] = v end
  if not s or s == "" then return nil, "invalid url" end
  -- gsub coerces a number to a string and rejects other types with LuaSocket's message
  local rest, piece = gsub(s, "^", ""), nil
  piece, rest = cut(rest, "^([%w][%w%+%-%.]*)%:")
  if piece then parsed.scheme = piece end
  -- 3.1.0: the authority runs to the next "/", so "http://h?x#y" has host "h?x#y"
  piece, rest = cut(rest, "^//([^/]*)")
  if piece then parsed.authority = piece end
  piece, rest = cut(rest, "#(.*)$")
  if piece then parsed.fragment = piece end
  piece, rest = cut(rest, "%?(.*)")
  if piece then parsed.query = piece end
  piece, rest = cut(rest, ";(.*)")
  if piece then parsed.params = piece end
  if rest ~= "" then parsed.path = rest end

  local authority = parsed.authority
  if not authority then return parsed end
  piece, authority = cut(authority, "^([^@]*)@")
  if piece then parsed.userinfo = piece end
  piece, authority = cut(authority, ":([^:%]]*)$")
  if piece then parsed.port = piece end
  if authority ~= "" then
    parsed.host = match(authority, "^%[(.+)%]$") or authority
  end

  local userinfo = parsed.userinfo
  if not userinfo then return parsed end
  piece, userinfo = cut(userinfo, ":([^:]*)$")
  if piece then parsed.password = piece end
  parsed.user = userinfo
  return parsed
end

--- url.build(parsed): reassembles a parsed URL; host/port/user/password win over authority/userinfo, IPv6 hosts get [], nothing is escaped.
function M.build(parsed)
  -- the local names below appear in concatenation errors, so they follow LuaSocket's
  local url = parsed.path or ""
  if parsed.params then url = url .. ";" .. parsed.params end
  if parsed.query then url = url .. "?" .. parsed.query end

  local authority = parsed.authority
  if parsed.host then
    authority = parsed.host
    if find(authority, ":") then authority = "[" .. authority .. "]" end
    if parsed.port then authority = authority .. ":" .. tostring(parsed.port) end
    local userinfo = parsed.userinfo
    if parsed.user then
      userinfo = parsed.user
      if parsed.password then userinfo = userinfo .. ":" .. parsed.password end
    end
    if userinfo then authority = userinfo .. "@" .. authority end
  end

  if authority then url = "//" .. authority .. url end
  if parsed.scheme then url = parsed.scheme .. ":" .. url end
  if parsed.fragment then url = url .. "#" .. parsed.fragment end
  return url
end

--- url.absolute(base, rel): resolves rel against base (string or parsed table), then removes dot segments from the whole result, as 3.1.0 does.
function M.absolute(base_url, relative_url)
  local base
  if type(base_url) == "table" then
    base = base_url
    base_url = M.build(base)
  else
    base = M.parse(base_url)
  end
  local rel = M.parse(relative_url)
  local result
  if not base then
    result = relative_url
  elseif not rel then
    result = base_url
  elseif rel.scheme then
    result = relative_url
  else
    rel.scheme = base.scheme
    if not rel.authority then
      rel.authority = base.authority
      if rel.path then
        rel.path = merge_paths(base.path or "", rel.path)
      else
        rel.path = base.path
        if not rel.params then
          rel.params = base.params
          if not rel.query then rel.query = base.query end
        end
      end
    end
    result = M.build(rel)
  end
  return remove_dot_segments(result)
end

--- url.parse_path(path): list of unescaped segments, with is_absolute / is_directory set to 1.
function M.parse_path(path)
  path = path or ""
  local segments = {}
  gsub(path, "[^/]+", function(segment) segments[#segments + 1] = segment end)
  for i = 1, #segments do segments[i] = M.unescape(segments[i]) end
  if sub(path, 1, 1) == "/" then segments.is_absolute = 1 end
  if sub(path, -1, -1) == "/" then segments.is_directory = 1 end
  return segments
end

--- url.build_path(segments [, unsafe]): joins segments with "/", %XX-escaping (uppercase) all but [A-Za-z0-9_] and -_.!~*'():@&=+$, unless unsafe.
function M.build_path(parsed, unsafe)
  local n = #parsed
  local path = ""
  for i = 1, n do
    if i > 1 then path = path .. "/" end
    if unsafe then
      path = path .. parsed[i]
    else
      path = path .. gsub(parsed[i], "[^A-Za-z0-9_]", SEGMENT_ESCAPE)
    end
  end
  if n > 0 and parsed.is_directory then path = path .. "/" end
  if parsed.is_absolute then path = "/" .. path end
  return path
end

do
  local socket = package.loaded.socket
  if type(socket) == "table" then socket.url = M end
end

return M
