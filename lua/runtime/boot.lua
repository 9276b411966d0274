-- Makes wasmoon's Lua state behave like the `lua` CLI on the real machine: print, io, os, loadfile,
-- dofile and require read and write real files, and luahttp's modules are found before any on disk.
local sys, config = ...

local type, select, error, load, tostring = type, select, error, load, tostring
local concat, sformat = table.concat, string.format
-- Kept here: the library's sandbox profile removes `debug` after boot, and cjson still loads there.
local setanymetatable = debug.setmetatable

-- lua/<name>, from the build's bytecode when fresh (src/vm/lua-chunks.ts); named "@<lua root>/<name>"
-- either way.
local function runtimefile(name)
  return (assert(sys.ourchunk(name)))
end

-- Tracebacks show luahttp's own frames as the C functions they stand for (see the file).
debug.traceback = sys.tracebackfunction(runtimefile("runtime/traceback.lua")("@" .. config.luaroot .. "/"))

io = runtimefile("runtime/io.lua")(sys)
package.loaded.io = io
local printline = sys.printline

-- lua.c's print writes to C's stdout and flushes it after each call (lua_writeline), so printed
-- lines reach a pipe at once while io.write output waits in the buffer.
function print(...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do parts[i] = tostring((select(i, ...))) end
  printline(concat(parts, "\t", 1, n) .. "\n")
end

-- os: the parts wasmoon cannot do on its in-memory filesystem and fake environment.
os.getenv = function(name)
  if type(name) ~= "string" then error(sformat("bad argument #1 to 'getenv' (string expected, got %s)", name == nil and "no value" or type(name)), 2) end
  return sys.getenv(name)
end
os.exit = function(code, close)
  if code == nil or code == true then code = 0 elseif code == false then code = 1 end
  return sys.exit(code, close)
end
os.remove = function(name) return sys.remove(name) end
os.rename = function(a, b) return sys.rename(a, b) end
os.tmpname = function() return sys.tmpname() end
os.execute = function(cmd) return sys.execute(cmd) end
os.clock = function() return sys.clock() end

-- loadfile/dofile as lauxlib's luaL_loadfilex: skip a first '#' line (keeping the line count) and a BOM.
local function readchunk(filename)
  local src, chunkname
  if filename == nil then
    src, chunkname = io.stdin:read("a"), "=stdin"
  else
    local err
    src, err = sys.readfile(filename)
    -- lauxlib opens a directory fine and fails on the first read.
    if not src then return nil, sformat("cannot %s %s: %s", err == "Is a directory" and "read" or "open", filename, err) end
    chunkname = "@" .. filename
  end
  if src:sub(1, 3) == "\239\187\191" then src = src:sub(4) end
  if src:sub(1, 1) == "#" then src = src:gsub("^[^\n]*", "", 1) end
  return src, chunkname
end

function loadfile(filename, mode, ...)
  local src, chunkname = readchunk(filename)
  if not src then return nil, chunkname end
  if select("#", ...) > 0 then return load(src, chunkname, mode or "bt", (...)) end
  return load(src, chunkname, mode or "bt")
end

function dofile(filename)
  local f, err = loadfile(filename)
  if not f then error(err, 0) end
  return f()
end

-- package: the system lua5.4's default path and LUA_PATH_5_4/LUA_PATH rules (";;" = default).
local function envpath(names, default)
  local p
  if not config.noenv then
    for _, n in ipairs(names) do p = sys.getenv(n); if p then break end end
  end
  if not p then return default end
  local s, e = p:find(";;", 1, true)
  if not s then return p end
  local prefix, suffix = p:sub(1, s - 1), p:sub(e + 1)
  return (prefix ~= "" and prefix .. ";" or "") .. default .. (suffix ~= "" and ";" .. suffix or "")
end
package.path = envpath({ "LUA_PATH_5_4", "LUA_PATH" }, config.defaultpath)
package.cpath = envpath({ "LUA_CPATH_5_4", "LUA_CPATH" }, config.defaultcpath)

function package.searchpath(name, path, sep, rep)
  if type(name) ~= "string" then error(sformat("bad argument #1 to 'searchpath' (string expected, got %s)", type(name)), 2) end
  if type(path) ~= "string" then error(sformat("bad argument #2 to 'searchpath' (string expected, got %s)", type(path)), 2) end
  sep, rep = sep or ".", rep or "/"
  if sep ~= "" then name = name:gsub(sep:gsub("%p", "%%%0"), (rep:gsub("%%", "%%%%"))) end
  local filled = path:gsub("%?", (name:gsub("%%", "%%%%")))
  for candidate in filled:gmatch("[^;]+") do
    if sys.readable(candidate) then return candidate end
  end
  return nil, "no file '" .. filled:gsub(";", "'\n\tno file '") .. "'"
end

local function searcher_lua(name)
  local path = package.path
  if type(path) ~= "string" then error("'package.path' must be a string", 2) end
  local filename, err = package.searchpath(name, path)
  if not filename then return err end
  local f, lerr = loadfile(filename)
  if f then return f, filename end
  error(sformat("error loading module '%s' from file '%s':\n\t%s", name, filename, lerr), 0)
end
package.searchers[2] = searcher_lua
-- The C searchers: C modules cannot load into WebAssembly, so they explain that (lua/runtime/c-modules.lua,
-- read only when a require gets this far).
local cmodules
for i, which in ipairs { "c", "croot" } do
  package.searchers[i + 2] = function(name)
    cmodules = cmodules or runtimefile("runtime/c-modules.lua")(sys)
    return cmodules[which](name)
  end
end

-- luahttp's own modules: in package.preload, so they win over LuaSocket's files on disk.
local preload = package.preload
local function ourmodule(name, file)
  preload[name] = function(...) return runtimefile(file)(...) end
end
-- The JS cores (luahttp.core.socket, .ssl, .http, .lfs, .json) are built on first require: print("hi") never
-- loads their JS modules (start-up).
for _, name in ipairs { "socket", "ssl", "http", "lfs", "json" } do
  preload["luahttp.core." .. name] = function() return sys.core(name) end
end
ourmodule("ltn12", "ltn12.lua")
ourmodule("mime", "mime.lua")
ourmodule("mime.core", "mime/core.lua")
ourmodule("socket", "socket.lua")
ourmodule("socket.core", "runtime/socket-core.lua")
ourmodule("socket.url", "socket/url.lua")
ourmodule("socket.headers", "socket/headers.lua")
ourmodule("socket.http", "socket/http.lua")
ourmodule("socket.tp", "socket/tp.lua")
ourmodule("socket.smtp", "socket/smtp.lua")
ourmodule("socket.ftp", "socket/ftp.lua")
ourmodule("ssl", "ssl.lua")
ourmodule("ssl.https", "ssl/https.lua")
ourmodule("luahttp.socket.helpers", "socket/helpers.lua")
ourmodule("luahttp.argcheck", "luahttp/argcheck.lua")
ourmodule("luahttp.tasks", "luahttp/tasks.lua")
ourmodule("luahttp.repl", "runtime/repl.lua")
ourmodule("cjson", "cjson.lua")
ourmodule("cjson.safe", "cjson/safe.lua")
ourmodule("lfs", "lfs.lua")
-- lua-http's client API (issue 15), on luahttp's own HTTP core.
ourmodule("http.version", "http/version.lua")
ourmodule("http.headers", "http/headers.lua")
ourmodule("http.util", "http/util.lua")
ourmodule("http.request", "http/request.lua")
ourmodule("luahttp.http.stream", "http/stream.lua")
ourmodule("luahttp.http.uri", "http/uri.lua")
ourmodule("http.cookie", "http/cookie.lua")
ourmodule("luahttp.http.cookie_syntax", "http/cookie_syntax.lua")
ourmodule("luahttp.http.expiry_heap", "http/expiry_heap.lua")
ourmodule("http.h1_reason_phrases", "http/h1_reason_phrases.lua")
ourmodule("http.compat.socket", "http/compat/socket.lua")
ourmodule("http.websocket", "http/websocket.lua")
ourmodule("luahttp.http.wsframes", "http/websocket-frames.lua")
ourmodule("luahttp.http.wssocket", "http/websocket-socket.lua")
ourmodule("luahttp.http.sha1", "http/sha1.lua")
ourmodule("luahttp.http.timed", "http/timed.lua")
ourmodule("luahttp.http.errors", "http/errors.lua")
ourmodule("luahttp.http.route", "http/route.lua")
ourmodule("http.tls", "http/tls.lua")
ourmodule("http.proxies", "http/proxies.lua")
ourmodule("openssl.ssl.context", "openssl/ssl/context.lua")
-- The part of cqueues lua-http scripts fan out with, on luahttp's tasks.
ourmodule("cqueues", "cqueues.lua")
ourmodule("cqueues.condition", "cqueues/condition.lua")
ourmodule("cqueues.promise", "cqueues/promise.lua")
-- cjson.null is a NULL light userdata, as lua-cjson's. Lua prints one with C's "%p": glibc writes
-- "(nil)", the WASM build's libc "0"; a metatable (shared by every light userdata, and luahttp makes
-- no other) restores `userdata: (nil)`, which scripts print when a JSON field is null.
preload["luahttp.json"] = function()
  local null = sys.lightnull()
  setanymetatable(null, { __tostring = function() return "userdata: (nil)" end })
  return runtimefile("luahttp/json.lua")(null)
end
-- `require "luahttp"`: how a script (or a test harness) tells it runs under luahttp, without adding
-- a field to LuaSocket's own tables.
-- Its tasks (lua/luahttp/tasks.lua) load with it.
preload.luahttp = function()
  local tasks = require("luahttp.tasks")
  return {
    version = config.version,
    spawn = tasks.spawn, all = tasks.all, semaphore = tasks.semaphore, sleep = tasks.sleep,
  }
end
