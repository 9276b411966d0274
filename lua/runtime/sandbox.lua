-- The library's default profile (README "Embedding: capabilities"): what a script may not do beyond
-- the file checks in src/runtime/sandbox-primitives.ts, which are the real guard (JS, unreachable from
-- Lua). Here: no debug library, text-only load, no loadfile/dofile, no process control, require only
-- from package.preload, the app's `modules` and its `packagePath`, a read-only string metatable.
-- Returns the runtime's private helpers (the error handler that keeps the traceback).
local config, canread = ...

local type, error, tostring, select, pairs = type, error, tostring, select, pairs
local rawload, rawloadfile = load, loadfile
local traceback, getmetatable_raw = debug.traceback, debug.getmetatable
local setmetatable, getmetatable = setmetatable, getmetatable

-- Denials start with this text: the runtime reports an uncaught one as a PolicyError.
local DENIED = "not allowed in the luahttp sandbox: "
local function denied(what)
  return function() error(DENIED .. what, 2) end
end

debug = nil
package.loaded.debug = nil

function load(chunk, chunkname, mode, ...)
  if mode ~= nil and type(mode) ~= "string" then
    error("bad argument #3 to 'load' (string expected, got " .. type(mode) .. ")", 2)
  end
  if select("#", ...) > 0 then return rawload(chunk, chunkname, "t", (...)) end
  return rawload(chunk, chunkname, "t")
end
loadfile = nil
dofile = nil

os.execute = denied("os.execute")
io.popen = denied("io.popen")
os.tmpname = denied("os.tmpname")
io.tmpfile = denied("io.tmpfile")

-- The string metatable: getmetatable("") gives a stand-in that reads through and refuses writes.
local stringmeta = getmetatable_raw("")
stringmeta.__metatable = setmetatable({}, {
  __index = stringmeta,
  __newindex = function() error("the string metatable is read-only", 2) end,
  __metatable = false,
})

-- require: preload (luahttp's modules, then the app's `modules`), and Lua files on `packagePath`.
package.path = config.path
package.cpath = ""
package.loadlib = denied("package.loadlib")
local searchers = package.searchers
searchers[3], searchers[4] = nil, nil
searchers[2] = function(name)
  local filename, err = package.searchpath(name, package.path)
  if not filename then return err end
  local f, lerr = rawloadfile(filename, "t")
  if f then return f, filename end
  error(("error loading module '%s' from file '%s':\n\t%s"):format(name, filename, lerr), 0)
end
for name, source in pairs(config.modules) do
  package.preload[name] = function(...)
    local f, err = rawload(source, "=" .. name, "t")
    if not f then error(("error loading module '%s':\n\t%s"):format(name, err), 0) end
    return f(...)
  end
end

-- lfs works on the real filesystem directly (src/cores/lfs-core.ts), past the grants: not in the sandbox.
package.preload.lfs = denied("lfs")
package.preload["luahttp.core.lfs"] = denied("lfs")

-- TLS options that name files (LuaSec's cafile/capath/certificate/key) are read by luahttp, not through
-- io: they must lie inside the fs grants too.
local TLS_FILES = { "cafile", "capath", "certificate", "key" }
local function checktls(params)
  if type(params) ~= "table" then return end
  for _, k in ipairs(TLS_FILES) do
    local p = params[k]
    if type(p) == "string" and not canread(p) then error(DENIED .. k .. " '" .. p .. "' is outside the fs grants", 3) end
  end
end
local function patched(name, patch)
  local loader = package.preload[name]
  package.preload[name] = function(...)
    local m = loader(...)
    patch(m)
    return m
  end
end
local function checkedfield(field)
  return function(m)
    local f = m[field]
    m[field] = function(params, ...)
      checktls(params)
      return f(params, ...)
    end
  end
end
patched("ssl", checkedfield("newcontext"))
patched("socket.http", checkedfield("request"))
patched("ssl.https", checkedfield("request"))

-- The runtime's message handler: keeps the traceback aside and returns the error value unchanged.
local last = nil
local function messagetext(msg)
  if type(msg) == "string" or type(msg) == "number" then return tostring(msg) end
  local mt = getmetatable_raw(msg)
  local ts = mt and mt.__tostring
  if ts then
    local ok, s = pcall(ts, msg)
    if ok and type(s) == "string" then return s end
  end
  return ("(error object is a %s value)"):format(type(msg))
end
return {
  handler = function(msg)
    -- Level 0 is this handler with traceback's entry, 1 the function that raised (runtime/traceback.lua).
    last = traceback(messagetext(msg), 1)
    return msg
  end,
  message = messagetext,
  traceback = function() local t = last; last = nil; return t end,
  DENIED = DENIED,
}
