-- The RFC 6265 grammars http.cookie parses with (lua-http takes them from lpeg_patterns, an LPeg
-- grammar; here they are hand-written scanners that accept and capture exactly what that grammar does):
--   Cookie:      name=value pairs separated by ";" + optional blanks
--   Set-Cookie:  name=value, then ";" attributes: "name=value" (name lower-cased) or a bare "flag" (-> true)
--   IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" as an os.date-style table
-- Every scanner returns nil for text the grammar does not match in full.
local byte, sub, find, lower, char = string.byte, string.sub, string.find, string.lower, string.char
local type, tostring, error, tonumber = type, tostring, error, tonumber

local M = {}

-- A Lua pattern set of the given byte ranges, every character escaped (no range syntax to get wrong).
local function set(ranges)
  local parts = {}
  for i = 1, #ranges, 2 do
    for b = ranges[i], ranges[i + 1] do
      local c = char(b)
      parts[#parts + 1] = c:find("%w") and c or "%" .. c
    end
  end
  return "[" .. table.concat(parts) .. "]"
end

-- token (RFC 7230): ! # $ % & ' * + - . ^ _ ` | ~ DIGIT ALPHA
local TOKEN = "^" .. set { 33, 33, 35, 39, 42, 43, 45, 46, 48, 57, 65, 90, 94, 122, 124, 124, 126, 126 } .. "+"
-- cookie-octet: visible ASCII except DQUOTE, comma, semicolon and backslash.
local OCTETS = "^" .. set { 33, 33, 35, 43, 45, 58, 60, 91, 93, 126 } .. "*"
-- Characters of an attribute (printable ASCII but ";", plus blanks inside it; HTAB counts as a blank).
local ATTR_RUN = "^" .. set { 32, 58, 60, 126, 9, 9 } .. "*"
local SPACE, TAB, SEMI, EQUALS, DQUOTE = 32, 9, 59, 61, 34

local function blanks(s, pos)
  local _, e = find(s, "^[ \t]*", pos)
  return e + 1
end

-- LPeg's match coerces numbers to strings and raises on anything else.
local function subject(s)
  local t = type(s)
  if t == "string" then return s end
  if t == "number" then return tostring(s) end
  error("bad argument #1 to 'match' (string expected, got " .. t .. ")", 3)
end

-- cookie-pair: token, "=" with blanks around, a value (bare or in double quotes), trailing blanks.
-- -> name, value, position after it | nil
local function pair(s, pos)
  local _, e = find(s, TOKEN, pos)
  if not e then return nil end
  local name = sub(s, pos, e)
  pos = blanks(s, e + 1)
  if byte(s, pos) ~= EQUALS then return nil end
  pos = blanks(s, pos + 1)
  local value
  if byte(s, pos) == DQUOTE then
    local _, qe = find(s, OCTETS, pos + 1)
    if byte(s, qe + 1) == DQUOTE then
      value, pos = sub(s, pos + 1, qe), qe + 2
    else
      -- An unclosed quote: the bare form matches nothing here, and the quote is left over.
      value = ""
    end
  else
    local _, ve = find(s, OCTETS, pos)
    value, pos = sub(s, pos, ve), ve + 1
  end
  return name, value, blanks(s, pos)
end

-- An attribute's text from pos: its characters up to ";" or a character outside the set, without the
-- blanks it ends with. -> text, position after it
local function attr_text(s, pos)
  local _, e = find(s, ATTR_RUN, pos)
  while e >= pos do
    local b = byte(s, e)
    if b ~= SPACE and b ~= TAB then break end
    e = e - 1
  end
  return sub(s, pos, e), e + 1
end

-- The name of "name=value": its characters but "=" and ";"; blanks inside it only when something
-- other than "=" follows them. -> position after the name
local function attr_name_end(s, pos)
  while true do
    local b = byte(s, pos)
    if b == nil then return pos end
    if b == SPACE or b == TAB then
      local _, e = find(s, "^[ \t]+", pos)
      local after = byte(s, e + 1)
      if after == nil or after == EQUALS then return pos end
      pos = e + 1
    elseif b > 32 and b < 127 and b ~= SEMI and b ~= EQUALS then
      pos = pos + 1
    else
      return pos
    end
  end
end

-- cookie-av -> name, value (true for a bare flag), position after it. Always matches (maybe empty).
local function attribute(s, pos)
  local name_end = attr_name_end(s, pos)
  local eq = blanks(s, name_end)
  if byte(s, eq) == EQUALS then
    local value, after = attr_text(s, blanks(s, eq + 1))
    return lower(sub(s, pos, name_end - 1)), value, after
  end
  local flag, after = attr_text(s, pos)
  return lower(flag), true, after
end

--- Cookie header -> { name = value } (a later pair wins), nil if the header does not parse.
function M.cookie(s)
  s = subject(s)
  local name, value, pos = pair(s, 1)
  if not name then return nil end
  local cookies = { [name] = value }
  while byte(s, pos) == SEMI do
    local n, v, after = pair(s, blanks(s, pos + 1))
    if not n then break end
    cookies[n] = v
    pos = after
  end
  if pos ~= #s + 1 then return nil end
  return cookies
end

--- Set-Cookie header -> name, value, { attribute = value or true } (a later attribute wins) | nil
function M.set_cookie(s)
  s = subject(s)
  local name, value, pos = pair(s, 1)
  if not name then return nil end
  local params = {}
  while byte(s, pos) == SEMI do
    local k, v, after = attribute(s, blanks(s, pos + 1))
    params[k] = v
    pos = after
  end
  if pos ~= #s + 1 then return nil end
  return name, value, params
end

local WDAY = { Sun = 1, Mon = 2, Tue = 3, Wed = 4, Thu = 5, Fri = 6, Sat = 7 }
local MONTH = { Jan = 1, Feb = 2, Mar = 3, Apr = 4, May = 5, Jun = 6, Jul = 7, Aug = 8, Sep = 9, Oct = 10, Nov = 11, Dec = 12 }

--- IMF-fixdate -> { wday, day, month, year, hour, min, sec } (numbers as written, not range-checked) | nil
function M.imf_fixdate(s)
  s = subject(s)
  local wd, day, mon, year, hour, min, sec =
    s:match("^(...), (%d%d) (...) (%d%d%d%d) (%d%d):(%d%d):(%d%d) GMT$")
  if not (wd and WDAY[wd] and MONTH[mon]) then return nil end
  return {
    wday = WDAY[wd], day = tonumber(day), month = MONTH[mon], year = tonumber(year),
    hour = tonumber(hour), min = tonumber(min), sec = tonumber(sec),
  }
end

return M
