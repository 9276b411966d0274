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

local argcheck = require("luahttp.argcheck")
local argerror, typename = argcheck.argerror, argcheck.typename

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
  if msg then argerror(1, msg) end
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
