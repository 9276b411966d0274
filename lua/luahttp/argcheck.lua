-- lauxlib's argument errors for luahttp's pure-Lua versions of LuaSocket's C functions
-- (mime.core, socket.core's helpers): `bad argument #1 to 'b64' (string expected, got table)`,
-- named the way lauxlib names the function and blamed on the caller's line.
local type, rawequal, rawget, next, error, package = type, rawequal, rawget, next, error, package
local format, sub = string.format, string.sub
local debug_getinfo = debug and debug.getinfo
local debug_getmetatable = debug and debug.getmetatable

local M = {}

-- Name of `fn` as lauxlib's pushglobalfuncname finds it: a field of a loaded module.
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

-- luaL_argerror for the public function that called us: names it the way the caller's code
-- does ('b64', a local's name, 'mime.b64' through pcall) and blames the caller's line.
function M.argerror(arg, extramsg)
  local name, method
  if debug_getinfo then
    local info = debug_getinfo(2, "nf")
    if info then
      name, method = info.name, info.namewhat == "method"
      if not name then name = loaded_name(info.func) end
    end
  end
  if method then
    arg = arg - 1
    if arg == 0 then
      error(format("calling '%s' on bad self (%s)", name, extramsg), 3)
    end
  end
  error(format("bad argument #%d to '%s' (%s)", arg, name or "?", extramsg), 3)
end

-- luaL_typename for luaL_typeerror: a string __name metafield wins.
function M.typename(value, present)
  if not present then return "no value" end
  local mt = debug_getmetatable and debug_getmetatable(value)
  local name = mt and rawget(mt, "__name")
  if type(name) == "string" then return name end
  return type(value)
end

return M
