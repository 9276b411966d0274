-- lua-cjson 2.1.0 (`cjson`, `cjson.safe`) in pure Lua 5.4, byte-exact against Debian's C module
-- (lua-cjson 2.1.0+dfsg): luahttp cannot load C modules, and scripts written for LuaSocket often
-- pair it with cjson. `new(safe)` builds one module table with its own configuration, as
-- lua_cjson_new / lua_cjson_safe_new do.
--
-- Reproduced from the C code (lua_cjson.c, fpconv.c), each checked by test/lua/cjson-*.lua:
-- * encode: numbers through "%.<precision>g" (integers too: cjson reads every number as a double);
--   `"`, `\`, `/`, control bytes and DEL escaped, other bytes (invalid UTF-8 too) passed through;
--   a table is an array when every key is a positive integer (holes become null) unless it is
--   "excessively sparse"; object keys may be strings or numbers; tables read raw (no __index,
--   __pairs); C's `(int)` of a huge array index (INT_MIN on x86-64) included.
-- * decode: the input is a C string (a NUL byte ends it), numbers go through strtod (so hex, inf,
--   nan, "+1", "01" pass while decode_invalid_numbers is on, its default) and come back as floats
--   (lua_pushnumber), \u escapes with surrogate pairs become UTF-8, and errors say
--   "Expected <what> but found <token> at character <n>" with cjson's token names and positions.
-- * errors carry the caller's position (luaL_error's level 1) and none inside cjson.safe, whose
--   functions return nil, message instead.
local NULL = ...

local type, select, next, rawget, error, pcall, tonumber, tostring, setmetatable =
  type, select, next, rawget, error, pcall, tonumber, tostring, setmetatable
local byte, char, find, format, gsub, sub, lower =
  string.byte, string.char, string.find, string.format, string.gsub, string.sub, string.lower
local concat = table.concat
local floor, huge, mathtype, tointeger = math.floor, math.huge, math.type, math.tointeger
local utf8char = utf8.char

local argcheck = require("luahttp.argcheck")
local argerror = argcheck.argerror

local INT_MAX, INT_MIN = 2147483647, -2147483648
local ZERO = 0
-- strtod("nan") is a positive NaN and 0/0 a negative one on x86-64; printed they are "nan"/"-nan".
local NAN_POSITIVE, NAN_NEGATIVE = -(ZERO / ZERO), ZERO / ZERO

-- C's (int) conversion of a double as x86-64 does it (cvttsd2si: out of range gives INT_MIN).
local function c_int(d)
  if d >= 2147483648.0 or d < -2147483648.0 or d ~= d then return INT_MIN end
  local i = tointeger(d >= 0 and floor(d) or -floor(-d))
  return i
end

-- A C int multiplication that wraps around as the x86-64 code does.
local function c_int_mul(a, b)
  return ((a * b + 2147483648) % 4294967296) - 2147483648
end

---------------------------------------------------------------------------
-- lauxlib-style argument checks (error level: the public function's caller)
---------------------------------------------------------------------------

-- luaL_typename as luaL_typeerror uses it: cjson.null is the only light userdata a script sees.
local function typename(v, present)
  if not present then return "no value" end
  if v == NULL and type(v) == "userdata" then return "light userdata" end
  return argcheck.typename(v, true)
end

-- luaL_checkinteger into a C int (lua_Integer truncated to 32 bits, as json_integer_option does).
-- Returns the value, or nil and the argerror message.
local function check_int(v, present)
  local n = type(v) == "number" and v or (type(v) == "string" and tonumber(v)) or nil
  if n == nil then return nil, format("number expected, got %s", typename(v, present)) end
  local i = tointeger(n)
  if i == nil then return nil, "number has no integer representation" end
  return ((i + 2147483648) % 4294967296) - 2147483648
end

---------------------------------------------------------------------------
-- Encoding
---------------------------------------------------------------------------

local ESCAPE = {
  ['"'] = '\\"', ["\\"] = "\\\\", ["/"] = "\\/", ["\127"] = "\\u007f",
  ["\b"] = "\\b", ["\t"] = "\\t", ["\n"] = "\\n", ["\f"] = "\\f", ["\r"] = "\\r",
}
for c = 0, 31 do
  local ch = char(c)
  if not ESCAPE[ch] then ESCAPE[ch] = format("\\u%04x", c) end
end
-- %c is iscntrl: bytes 0-31 and 127 in the C locale.
local ESCAPED = '[%c"\\/]'

local function quote(s)
  if find(s, ESCAPED) then s = gsub(s, ESCAPED, ESCAPE) end
  return '"' .. s .. '"'
end

-- json_append_number: the text of a number (value or key), per encode_invalid_numbers.
local function number_text(cfg, num, what)
  if num ~= num or num == huge or num == -huge then
    local mode = cfg.encode_invalid_numbers
    if mode == 0 then error("Cannot serialise " .. what .. ": must not be NaN or Inf", 0) end
    if mode == 2 then return "null" end
    if num ~= num then return "nan" end
  end
  return format(cfg.number_format, num)
end

-- lua_array_length: the array length, or -1 for an object.
local function array_length(cfg, t)
  local max, items = 0, 0
  for k in next, t do
    if type(k) ~= "number" or k == 0 or floor(k) ~= k or k < 1 then return -1 end
    if k > max then max = c_int(k) end
    items = items + 1
  end
  local ratio = cfg.encode_sparse_ratio
  if ratio > 0 and max > c_int_mul(items, ratio) and max > cfg.encode_sparse_safe then
    if cfg.encode_sparse_convert == 0 then error("Cannot serialise table: excessively sparse array", 0) end
    return -1
  end
  return max
end

local append

local function append_table(cfg, buf, n, depth, t)
  depth = depth + 1
  if depth > cfg.encode_max_depth then error(format("Cannot serialise, excessive nesting (%d)", depth), 0) end
  local len = array_length(cfg, t)
  if len > 0 then
    n = n + 1; buf[n] = "["
    for i = 1, len do
      if i > 1 then n = n + 1; buf[n] = "," end
      n = append(cfg, buf, n, depth, rawget(t, i))
    end
    n = n + 1; buf[n] = "]"
    return n
  end
  n = n + 1; buf[n] = "{"
  local comma = false
  for k, v in next, t do
    if comma then n = n + 1; buf[n] = "," else comma = true end
    local kt = type(k)
    if kt == "string" then
      n = n + 1; buf[n] = quote(k) .. ":"
    elseif kt == "number" then
      n = n + 1; buf[n] = '"' .. number_text(cfg, k, "number") .. '":'
    else
      error("Cannot serialise " .. kt .. ": table key must be a number or string", 0)
    end
    n = append(cfg, buf, n, depth, v)
  end
  n = n + 1; buf[n] = "}"
  return n
end

-- json_append_data: appends the JSON text of v to buf[n+1..], returns the new n.
function append(cfg, buf, n, depth, v)
  local t = type(v)
  n = n + 1
  if t == "string" then
    buf[n] = quote(v)
  elseif t == "number" then
    buf[n] = number_text(cfg, v, "number")
  elseif t == "table" then
    return append_table(cfg, buf, n - 1, depth, v)
  elseif t == "boolean" then
    buf[n] = v and "true" or "false"
  elseif v == nil or v == NULL then
    buf[n] = "null"
  else
    error("Cannot serialise " .. t .. ": type not supported", 0)
  end
  return n
end

---------------------------------------------------------------------------
-- Decoding
---------------------------------------------------------------------------

local T_OBJ_BEGIN, T_OBJ_END, T_ARR_BEGIN, T_ARR_END = "T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END"
local T_STRING, T_NUMBER, T_BOOLEAN, T_NULL = "T_STRING", "T_NUMBER", "T_BOOLEAN", "T_NULL"
local T_COLON, T_COMMA, T_END, T_ERROR = "T_COLON", "T_COMMA", "T_END", "T_ERROR"

-- Tokens that need no further reading (ch2token); NUL ends the C string.
local SIMPLE = {
  [123] = T_OBJ_BEGIN, [125] = T_OBJ_END, [91] = T_ARR_BEGIN, [93] = T_ARR_END,
  [44] = T_COMMA, [58] = T_COLON, [0] = T_END,
}
local UNESCAPE = { [34] = '"', [92] = "\\", [47] = "/", [98] = "\b", [116] = "\t", [110] = "\n", [102] = "\f", [114] = "\r" }

-- The parse state of the decode in progress (decode never calls out to Lua code, so no nesting).
local src, srclen, cfg_in_use, depth_now

-- A parse error: json_throw_parse_error's text.
local function parse_error(expected, ttype, tvalue, tindex)
  local found = ttype == T_ERROR and tvalue or ttype
  error(format("Expected %s but found %s at character %d", expected, found, tindex), 0)
end

local function hex4(p)
  local h = sub(src, p, p + 3)
  if not find(h, "^%x%x%x%x$") then return -1 end
  return tonumber(h, 16)
end

-- json_next_string_token for a string with escapes, from its opening quote at q: the value and
-- the position after the closing quote, or nil, error text, error position.
local function string_with_escapes(q)
  local parts, n, p = {}, 0, q + 1
  while true do
    local e = find(src, '["\\\0]', p)
    if not e then return nil, "unexpected end of string", srclen + 1 end
    local c = byte(src, e)
    if e > p then n = n + 1; parts[n] = sub(src, p, e - 1) end
    if c == 34 then return concat(parts, "", 1, n), e + 1 end
    if c == 0 then return nil, "unexpected end of string", e end
    local esc = byte(src, e + 1)
    local un = UNESCAPE[esc]
    if un then
      n = n + 1; parts[n] = un
      p = e + 2
    elseif esc == 117 then -- \u
      local cp = hex4(e + 2)
      local len = 6
      if cp < 0 then return nil, "invalid unicode escape code", e end
      if cp & 0xF800 == 0xD800 then
        if cp & 0x400 ~= 0 or sub(src, e + 6, e + 7) ~= "\\u" then return nil, "invalid unicode escape code", e end
        local low = hex4(e + 8)
        if low < 0 or low & 0xFC00 ~= 0xDC00 then return nil, "invalid unicode escape code", e end
        cp = (((cp & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000
        len = 12
      end
      n = n + 1; parts[n] = utf8char(cp)
      p = e + len
    else
      return nil, "invalid escape code", e
    end
  end
end

local function lower_at(p, n) return lower(sub(src, p, p + n - 1)) end

-- json_is_invalid_number: strict JSON refuses '+', hex, leading zeros, inf and nan.
local function is_invalid_number(p)
  local c = byte(src, p)
  if c == 43 then return true end
  if c == 45 then p = p + 1; c = byte(src, p) end
  c = c or 0
  if c == 48 then
    local c2 = byte(src, p + 1) or 0
    return c2 | 0x20 == 0x78 or (c2 >= 48 and c2 <= 57)
  end
  -- C compares a signed char: bytes >= 0x80 are "<= '9'" too.
  if c <= 57 or c >= 128 then return false end
  local w = lower_at(p, 3)
  return w == "inf" or w == "nan"
end

-- strtod (glibc) at p: the number and the position after it, or nil when nothing converts.
local function strtod(p)
  local q, neg = p, false
  local c = byte(src, q)
  if c == 45 or c == 43 then neg = c == 45; q = q + 1; c = byte(src, q) end
  if c == 48 and ((byte(src, q + 1) or 0) | 0x20) == 0x78 then
    local _, e = find(src, "^%x*%.?%x*", q + 2)
    if e > q + 1 and not (e == q + 2 and byte(src, e) == 46) then
      local body = sub(src, q + 2, e)
      local _, pe = find(src, "^[pP][-+]?%d+", e + 1)
      local exp = pe and sub(src, e + 1, pe) or "p0"
      local v = tonumber("0x" .. body .. exp)
      return neg and -v or v, (pe or e) + 1
    end
    return neg and -0.0 or 0.0, q + 1 -- just the "0"
  end
  if c and ((c >= 48 and c <= 57) or c == 46) then
    local _, e = find(src, "^%d*%.?%d*", q)
    if e == q and c == 46 then return nil end
    local _, pe = find(src, "^[eE][-+]?%d+", e + 1)
    if pe then e = pe end
    local v = tonumber(sub(src, q, e))
    if mathtype(v) == "integer" then v = v + 0.0 end
    return neg and -v or v, e + 1
  end
  local w = lower_at(q, 3)
  if w == "inf" then
    local e = lower_at(q + 3, 5) == "inity" and q + 8 or q + 3
    return neg and -huge or huge, e
  elseif w == "nan" then
    local e = q + 3
    local _, pe = find(src, "^%([%w_]*%)", e)
    return neg and NAN_NEGATIVE or NAN_POSITIVE, (pe or e - 1) + 1
  end
  return nil
end

-- json_next_token: type, value, index (the 1-based "character" cjson reports) and the next position.
local function next_token(pos)
  local p = find(src, "[^ \t\n\r]", pos)
  if not p then return T_END, nil, srclen + 1, srclen + 1 end
  local c = byte(src, p)
  local simple = SIMPLE[c]
  if simple then
    if simple == T_END then return T_END, nil, p, p end
    return simple, nil, p, p + 1
  end
  if c == 34 then
    local e = find(src, '["\\\0]', p + 1)
    if e and byte(src, e) == 34 then return T_STRING, sub(src, p + 1, e - 1), p, e + 1 end
    local value, after, errpos = string_with_escapes(p)
    if value == nil then return T_ERROR, after, errpos, errpos end
    return T_STRING, value, p, after
  end
  local cfg = cfg_in_use
  if c == 45 or (c >= 48 and c <= 57) then
    if cfg.decode_invalid_numbers == 0 and is_invalid_number(p) then return T_ERROR, "invalid number", p, p end
    local v, after = strtod(p)
    if v == nil then return T_ERROR, "invalid number", p, p end
    return T_NUMBER, v, p, after
  end
  if c == 116 and sub(src, p, p + 3) == "true" then return T_BOOLEAN, true, p, p + 4 end
  if c == 102 and sub(src, p, p + 4) == "false" then return T_BOOLEAN, false, p, p + 5 end
  if c == 110 and sub(src, p, p + 3) == "null" then return T_NULL, NULL, p, p + 4 end
  if (c == 43 or c == 105 or c == 73 or c == 110 or c == 78) and cfg.decode_invalid_numbers ~= 0 and is_invalid_number(p) then
    local v, after = strtod(p)
    if v == nil then return T_ERROR, "invalid number", p, p end
    return T_NUMBER, v, p, after
  end
  return T_ERROR, "invalid token", p, p
end

local parse_value

-- json_decode_descend: pos is just after the opening bracket.
local function descend(pos)
  depth_now = depth_now + 1
  if depth_now > cfg_in_use.decode_max_depth then
    error(format("Found too many nested data structures (%d) at character %d", depth_now, pos - 1), 0)
  end
end

local function parse_object(pos)
  descend(pos)
  local obj = {}
  local ttype, tvalue, tindex
  ttype, tvalue, tindex, pos = next_token(pos)
  if ttype == T_OBJ_END then depth_now = depth_now - 1; return obj, pos end
  while true do
    if ttype ~= T_STRING then parse_error("object key string", ttype, tvalue, tindex) end
    local key = tvalue
    ttype, tvalue, tindex, pos = next_token(pos)
    if ttype ~= T_COLON then parse_error("colon", ttype, tvalue, tindex) end
    ttype, tvalue, tindex, pos = next_token(pos)
    obj[key], pos = parse_value(ttype, tvalue, tindex, pos)
    ttype, tvalue, tindex, pos = next_token(pos)
    if ttype == T_OBJ_END then depth_now = depth_now - 1; return obj, pos end
    if ttype ~= T_COMMA then parse_error("comma or object end", ttype, tvalue, tindex) end
    ttype, tvalue, tindex, pos = next_token(pos)
  end
end

local function parse_array(pos)
  descend(pos)
  local arr = {}
  local ttype, tvalue, tindex
  ttype, tvalue, tindex, pos = next_token(pos)
  if ttype == T_ARR_END then depth_now = depth_now - 1; return arr, pos end
  local i = 0
  while true do
    i = i + 1
    arr[i], pos = parse_value(ttype, tvalue, tindex, pos)
    ttype, tvalue, tindex, pos = next_token(pos)
    if ttype == T_ARR_END then depth_now = depth_now - 1; return arr, pos end
    if ttype ~= T_COMMA then parse_error("comma or array end", ttype, tvalue, tindex) end
    ttype, tvalue, tindex, pos = next_token(pos)
  end
end

-- json_process_value: the value of the token just read and the position after it.
function parse_value(ttype, tvalue, tindex, pos)
  if ttype == T_STRING or ttype == T_NUMBER or ttype == T_BOOLEAN or ttype == T_NULL then return tvalue, pos end
  if ttype == T_OBJ_BEGIN then return parse_object(pos) end
  if ttype == T_ARR_BEGIN then return parse_array(pos) end
  parse_error("value", ttype, tvalue, tindex)
end

local function decode_text(cfg, text)
  if #text >= 2 and (byte(text, 1) == 0 or byte(text, 2) == 0) then
    error("JSON parser does not support UTF-16 or UTF-32", 0)
  end
  src, srclen, cfg_in_use, depth_now = text, #text, cfg, 0
  local ttype, tvalue, tindex, pos = next_token(1)
  local value
  value, pos = parse_value(ttype, tvalue, tindex, pos)
  ttype, tvalue, tindex = next_token(pos)
  if ttype ~= T_END then parse_error("the end", ttype, tvalue, tindex) end
  src = nil
  return value
end

---------------------------------------------------------------------------
-- Module tables
---------------------------------------------------------------------------

-- json_integer_option / json_enum_option results, raised from the public function (level 2 of
-- argerror) so the message names it as lauxlib would.
local BOOL_OPTIONS = { "off", "on" }
local INVALID_NUMBER_OPTIONS = { "off", "on", "null" }

-- luaL_checkoption's index (0-based) of v, or nil and the argerror message.
local function check_option(v, options)
  local t = type(v)
  if t == "number" then v = tostring(v) elseif t ~= "string" then
    return nil, format("string expected, got %s", typename(v, true))
  end
  for i, name in ipairs(options) do if name == v then return i - 1 end end
  return nil, format("invalid option '%s'", v)
end

local function enum_result(setting, options)
  if setting == 0 or setting == 1 then return setting == 1 end
  return options[setting + 1]
end

local new

local function new_config()
  return {
    encode_sparse_convert = 0, encode_sparse_ratio = 2, encode_sparse_safe = 10,
    encode_max_depth = 1000, decode_max_depth = 1000,
    encode_invalid_numbers = 0, decode_invalid_numbers = 1,
    encode_keep_buffer = 1, encode_number_precision = 14, number_format = "%.14g",
  }
end

function new(safe)
  local cfg = new_config()
  local M = {}

  function M.encode(...)
    if select("#", ...) ~= 1 then argerror(1, "expected 1 argument") end
    local buf = {}
    local ok, err = pcall(append, cfg, buf, 0, 0, (...))
    if not ok then error(err, 2) end
    return concat(buf)
  end

  function M.decode(...)
    if select("#", ...) ~= 1 then argerror(1, "expected 1 argument") end
    local text = ...
    local t = type(text)
    if t == "number" then text = tostring(text)
    elseif t ~= "string" then argerror(1, format("string expected, got %s", typename(text, true))) end
    local ok, value = pcall(decode_text, cfg, text)
    if not ok then src = nil; error(value, 2) end
    return value
  end

  -- json_arg_init + json_integer_option for one-number settings.
  local function integer_setting(field, min, max)
    return function(...)
      if select("#", ...) > 1 then argerror(2, "found too many arguments") end
      local v = ...
      if v ~= nil then
        local i, msg = check_int(v, true)
        if not i then argerror(1, msg) end
        if i < min or i > max then argerror(1, format("expected integer between %d and %d", min, max)) end
        cfg[field] = i
        if field == "encode_number_precision" then cfg.number_format = "%." .. i .. "g" end
      end
      return cfg[field]
    end
  end
  M.encode_max_depth = integer_setting("encode_max_depth", 1, INT_MAX)
  M.decode_max_depth = integer_setting("decode_max_depth", 1, INT_MAX)
  M.encode_number_precision = integer_setting("encode_number_precision", 1, 14)

  -- json_arg_init + json_enum_option for on/off (and "null") settings.
  local function enum_setting(field, options)
    return function(...)
      if select("#", ...) > 1 then argerror(2, "found too many arguments") end
      local v = ...
      if v ~= nil then
        if type(v) == "boolean" then cfg[field] = v and 1 or 0 else
          local i, msg = check_option(v, options)
          if not i then argerror(1, msg) end
          cfg[field] = i
        end
      end
      return enum_result(cfg[field], options)
    end
  end
  M.encode_keep_buffer = enum_setting("encode_keep_buffer", BOOL_OPTIONS)
  M.encode_invalid_numbers = enum_setting("encode_invalid_numbers", INVALID_NUMBER_OPTIONS)
  M.decode_invalid_numbers = enum_setting("decode_invalid_numbers", BOOL_OPTIONS)

  function M.encode_sparse_array(...)
    if select("#", ...) > 3 then argerror(4, "found too many arguments") end
    local convert, ratio, safe_limit = ...
    if convert ~= nil then
      if type(convert) == "boolean" then cfg.encode_sparse_convert = convert and 1 or 0 else
        local i, msg = check_option(convert, BOOL_OPTIONS)
        if not i then argerror(1, msg) end
        cfg.encode_sparse_convert = i
      end
    end
    if ratio ~= nil then
      local i, msg = check_int(ratio, true)
      if not i then argerror(2, msg) end
      -- json_integer_option checks the range against argument #1 whatever the argument is.
      if i < 0 then argerror(1, format("expected integer between %d and %d", 0, INT_MAX)) end
      cfg.encode_sparse_ratio = i
    end
    if safe_limit ~= nil then
      local i, msg = check_int(safe_limit, true)
      if not i then argerror(3, msg) end
      if i < 0 then argerror(1, format("expected integer between %d and %d", 0, INT_MAX)) end
      cfg.encode_sparse_safe = i
    end
    return cfg.encode_sparse_convert == 1, cfg.encode_sparse_ratio, cfg.encode_sparse_safe
  end

  M.new = function() return new(safe) end
  M.null = NULL
  M._NAME = "cjson"
  M._VERSION = "2.1.0"

  if safe then
    -- json_protect_conversion: nil plus the message instead of an error (argument count still raises).
    for _, name in ipairs { "decode", "encode" } do
      local convert = M[name]
      M[name] = function(...)
        if select("#", ...) ~= 1 then argerror(1, "expected 1 argument") end
        local ok, result = pcall(convert, ...)
        if ok then return result end
        return nil, result
      end
    end
  end
  return M
end

return { new = new }
