-- package.searchers[3] and [4] (loadlib.c's searcher_C and searcher_Croot) for a Lua that runs in
-- WebAssembly: a C module cannot load, so a file found on package.cpath ends the search with an error
-- that says so and names what luahttp offers instead, where lua5.4 would load it. Nothing found: the
-- same "no file" lines as lua5.4, plus a hint when the name is a well-known C module.
local sys = ...
local sformat, type, error = string.format, type, error

local BUILT_IN = "Built in: socket.*, mime.*, ssl.*, cjson, cjson.safe, lfs; pure-Lua modules on package.path load as usual"

-- Known C modules of LuaSocket-era scripts and what to use instead (all pure Lua, or Lua 5.4 itself).
local ALTERNATIVES = {
  ["lpeg"] = "LuLPeg (pure Lua, lpeg's API)",
  ["re"] = "LuLPeg's re module (pure Lua)",
  ["rapidjson"] = "cjson (built in) or dkjson (pure Lua)",
  ["zlib"] = "LibDeflate (pure Lua), or --compressed for HTTP bodies",
  ["md5"] = "md5.lua (pure Lua)",
  ["bit32"] = "Lua 5.4's bitwise operators",
  ["struct"] = "string.pack / string.unpack",
  ["lua-utf8"] = "Lua 5.4's utf8 library",
  ["posix"] = "io, os and lfs (built in)",
  ["lyaml"] = "tinyyaml (pure Lua)",
  ["yaml"] = "tinyyaml (pure Lua)",
  ["openssl"] = "ssl (built in) for TLS",
  ["ssl.core"] = "ssl (built in)",
}

local function refusal(name, filename)
  local root = name:match("^[^.]*")
  local alt = ALTERNATIVES[name] or ALTERNATIVES[root]
  return sformat("error loading module '%s' from file '%s':\n\tC modules cannot load in luahttp (Lua runs in WebAssembly)%s. %s",
    name, filename, alt and (": use " .. alt) or "", BUILT_IN)
end

local function hint(name)
  local alt = ALTERNATIVES[name] or ALTERNATIVES[name:match("^[^.]*")]
  if not alt then return "" end
  return sformat("\n\tluahttp: '%s' is a C module, which cannot load in luahttp; use %s", name, alt)
end

local function cpath()
  local path = package.cpath
  if type(path) ~= "string" then error("'package.cpath' must be a string", 3) end
  return path
end

local M = {}

function M.c(name)
  local filename, err = package.searchpath(name, cpath())
  if not filename then return err .. hint(name) end
  error(refusal(name, filename), 0)
end

function M.croot(name)
  local root = name:match("^([^.]*)%.")
  if not root then return nil end
  local filename, err = package.searchpath(root, cpath())
  if not filename then return err end
  error(refusal(name, filename), 0)
end

return M
