-- socket.helpers: pure-Lua versions of the four functions LuaSocket 3.1.0's C core exports
-- besides networking (skip, newtry, try, protect), with the C semantics. luahttp's JS
-- socket.core merges this table into itself.
--
-- Try-exceptions are tables {msg} carrying a private metatable whose __metatable is false
-- (as in the C core); protect() turns only those into `nil, msg` and re-raises every other
-- error value unchanged. Yields across protect() work (pcall is yieldable in Lua 5.4).

local error, pcall, select, setmetatable, tonumber, type, rawget, next, rawequal =
  error, pcall, select, setmetatable, tonumber, type, rawget, next, rawequal
local format, sub = string.format, string.sub
local tointeger = math.tointeger
local debug_getinfo = debug and debug.getinfo
local debug_getmetatable = debug and debug.getmetatable

local helpers = {}

-- Marks try-exceptions. `getmetatable(e)` answers false, as with the C core.
local EXCEPTION = { __metatable = false }
-- Fallback identification when the debug library is absent.
local issued = setmetatable({}, { __mode = "k" })

local function is_exception(value)
  if type(value) ~= "table" then return false end
  if debug_getmetatable then return debug_getmetatable(value) == EXCEPTION end
  return issued[value] == true
end

local function new_exception(...)
  local e = setmetatable({ (...) }, EXCEPTION)
  issued[e] = true
  return e
end

-- How lauxlib names a function found in package.loaded (pushglobalfuncname).
local function loaded_name(fn)
  local loaded = package and package.loaded
  if type(loaded) ~= "table" then return nil end
  for key, value in next, loaded do
    if type(key) == "string" then
      if rawequal(value, fn) then return key end
      if type(value) == "table" then
        for inner, v in next, value do
          if type(inner) == "string" and rawequal(v, fn) then
            local name = key .. "." .. inner
            if sub(name, 1, 3) == "_G." then name = sub(name, 4) end
            return name
          end
        end
      end
    end
  end
  return nil
end

-- luaL_argerror(1, msg) on behalf of skip (the caller of this function).
local function skip_argerror(extramsg)
  local name, method
  if debug_getinfo then
    local info = debug_getinfo(2, "nf")
    if info then
      name, method = info.name, info.namewhat == "method"
      if not name then name = loaded_name(info.func) end
    end
  end
  if method then
    error(format("calling '%s' on bad self (%s)", name, extramsg), 3)
  end
  error(format("bad argument #1 to '%s' (%s)", name or "?", extramsg), 3)
end

local function typename(value, present)
  if not present then return "no value" end
  local mt = debug_getmetatable and debug_getmetatable(value)
  local name = mt and rawget(mt, "__name")
  if type(name) == "string" then return name end
  return type(value)
end

-- luaL_checkinteger on the first argument: the integer, or nil and lauxlib's message.
local function first_integer(...)
  local value = ...
  local t = type(value)
  local n = t == "number" and value or (t == "string" and tonumber(value)) or nil
  if n == nil then
    return nil, "number expected, got " .. typename(value, select("#", ...) > 0)
  end
  local i = tointeger(n)
  if not i then return nil, "number has no integer representation" end
  return i
end

-- C `int` arithmetic: keep the low 32 bits, signed.
local function int32(i)
  return ((i + 2147483648) & 0xFFFFFFFF) - 2147483648
end

--- socket.skip(n, ...): drops the first n values after n and returns the rest (C int arithmetic; negative n also keeps n itself).
function helpers.skip(...)
  local amount, msg = first_integer(...)
  if msg then skip_argerror(msg) end
  local total = select("#", ...)
  local keep = int32(total - int32(amount) - 1)
  if keep <= 0 then return end
  if keep >= total then return ... end
  return select(total - keep + 1, ...)
end

local function ignore() end

--- socket.newtry([finalizer]): try function that returns all its arguments when the first is truthy, else calls finalizer() and throws {second arg} as a try-exception.
function helpers.newtry(finalizer)
  if finalizer == nil then finalizer = ignore end
  return function(...)
    if (...) then return ... end
    if type(finalizer) == "function" then
      finalizer()
    else
      -- the C core calls it unprotected; a non-callable value fails with the plain
      -- "attempt to call a X value" that pcall reports
      local ok, err = pcall(finalizer)
      if not ok then error(err, 0) end
    end
    error(new_exception(select(2, ...)), 0)
  end
end

--- socket.try(ret1, ...): newtry() without finalizer (LuaSocket's socket.try).
helpers.try = helpers.newtry()

local function settle(ok, ...)
  if ok then return ... end
  local err = ...
  if is_exception(err) then return nil, rawget(err, 1) end
  error(err, 0)
end

--- socket.protect(f): f wrapped so that try-exceptions come back as nil, msg; other errors propagate unchanged.
function helpers.protect(f)
  return function(...)
    return settle(pcall(f, ...))
  end
end

return helpers
