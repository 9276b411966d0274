-- lua-cjson 2.1.0 (`cjson`, `cjson.safe`), byte-exact against Debian's C module (lua-cjson 2.1.0+dfsg):
-- luahttp cannot load C modules, and scripts written for LuaSocket often pair it with cjson. This file
-- is the module tables -- settings, argument errors, positions, cjson.safe -- and `new(safe)` builds
-- one with its own configuration, as lua_cjson_new / lua_cjson_safe_new do. The conversions are
-- lua_cjson.c's, in JS: src/cores/json-encode.ts and json-core.ts (the C rules they keep are listed
-- there). Each behaviour is compared with native by test/lua/cjson-*.lua.
-- Errors carry the caller's position (luaL_error's level 1), and none inside cjson.safe, whose
-- functions return nil, message instead.
local NULL = ...

local type, select, error, pcall, tonumber, tostring, ipairs = type, select, error, pcall, tonumber, tostring, ipairs
local byte, format = string.byte, string.format
local tointeger = math.tointeger

local argcheck = require("luahttp.argcheck")
local argerror = argcheck.argerror

local INT_MAX = 2147483647

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

-- lua_cjson.c's encoder and parser run in JS (src/cores/json-core.ts, json-encode.ts).
local core = require("luahttp.core.json")
local core_encode, core_decode = core.encode, core.decode
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
    encode_keep_buffer = 1, encode_number_precision = 14,
  }
end

function new(safe)
  local cfg = new_config()
  local M = {}

  function M.encode(...)
    if select("#", ...) ~= 1 then argerror(1, "expected 1 argument") end
    local text, err = core_encode((...), cfg.encode_number_precision, cfg.encode_invalid_numbers, cfg.encode_max_depth,
      cfg.encode_sparse_convert ~= 0, cfg.encode_sparse_ratio, cfg.encode_sparse_safe)
    if err ~= nil then error(err, 2) end
    return text
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
