-- lua-cjson 2.1.0 (`cjson`, `cjson.safe`) in Lua 5.4 (the decoder's parser in JS), byte-exact against Debian's C module
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
-- * decode (the parser is src/cores/json-core.ts): the input is a C string (a NUL byte ends it),
--   numbers go through strtod (so hex, inf, nan, "+1", "01" pass while decode_invalid_numbers is
--   on, its default) and come back as floats
--   (lua_pushnumber), \u escapes with surrogate pairs become UTF-8, and errors say
--   "Expected <what> but found <token> at character <n>" with cjson's token names and positions.
-- * errors carry the caller's position (luaL_error's level 1) and none inside cjson.safe, whose
--   functions return nil, message instead.
local NULL = ...

local type, select, next, rawget, error, pcall, tonumber, tostring =
  type, select, next, rawget, error, pcall, tonumber, tostring
local byte, char, find, format, gsub = string.byte, string.char, string.find, string.format, string.gsub
local concat = table.concat
local floor, huge, tointeger = math.floor, math.huge, math.tointeger

local argcheck = require("luahttp.argcheck")
local argerror = argcheck.argerror

local INT_MAX, INT_MIN = 2147483647, -2147483648

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

-- Appends the JSON text of string s as three pieces (no concatenation: table.concat joins once).
local function append_string(buf, n, s)
  if find(s, ESCAPED) then s = gsub(s, ESCAPED, ESCAPE) end
  buf[n + 1], buf[n + 2], buf[n + 3] = '"', s, '"'
  return n + 3
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
-- The quoted keys of the encode in progress (encode never calls Lua code, so there is one at a time).
local keys

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
      -- Object keys repeat (an array of records): each one's text is made once per encode.
      local text = keys[k]
      if not text then
        text = find(k, ESCAPED) and '"' .. gsub(k, ESCAPED, ESCAPE) .. '":' or '"' .. k .. '":'
        keys[k] = text
      end
      n = n + 1; buf[n] = text
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
    return append_string(buf, n - 1, v)
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
-- Decoding: lua_cjson.c's parser runs in JS (src/cores/json-core.ts)
---------------------------------------------------------------------------

local core_decode = require("luahttp.core.json").decode
package.loaded["luahttp.core.json"] = nil

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
    keys = {}
    local ok, err = pcall(append, cfg, buf, 0, 0, (...))
    keys = nil
    if not ok then error(err, 2) end
    return concat(buf)
  end

  function M.decode(...)
    if select("#", ...) ~= 1 then argerror(1, "expected 1 argument") end
    local text = ...
    local t = type(text)
    if t == "number" then text = tostring(text)
    elseif t ~= "string" then argerror(1, format("string expected, got %s", typename(text, true))) end
    if #text >= 2 and (byte(text, 1) == 0 or byte(text, 2) == 0) then
      error("JSON parser does not support UTF-16 or UTF-32", 2)
    end
    local value, err = core_decode(text, cfg.decode_invalid_numbers ~= 0, cfg.decode_max_depth)
    if err ~= nil then error(err, 2) end
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
