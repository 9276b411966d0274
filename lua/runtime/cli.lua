-- lua.c's main program, so `luahttp script.lua` is `lua script.lua`: the arg table, LUA_INIT, -e/-l in
-- order, the script with its arguments as `...`, and errors reported as "progname: msg" + traceback.
local opts = ...
local progname = opts.progname
local stderr = io.stderr

local function message(msg)
  stderr:write(progname, ": ", msg, "\n")
end

local traceback = debug.traceback -- boot.lua's, which shows luahttp's frames as C ones

-- lua.c's msghandler. Its traceback: docall's xpcall and the rest of this file below the main chunk
-- are luahttp's frames, shown as the one "[C]: in ?" line that lua.c's pmain contributes.
local function msghandler(msg)
  -- lua.c: a number converts like a string; a __tostring result counts only if it is a string.
  if type(msg) ~= "string" and type(msg) ~= "number" then
    local mt = getmetatable(msg)
    local ts = mt and rawget(mt, "__tostring")
    if ts then
      local s = ts(msg)
      if type(s) == "string" then return s end
    end
    msg = string.format("(error object is a %s value)", type(msg))
  end
  -- Level 0 is this function (with traceback, one C-like frame of luahttp's), 1 the one that raised.
  return traceback(msg, 1)
end

-- At the end, luahttp's unfinished tasks are cancelled and failures nobody waited for reported.
local function finish(status)
  local tasks = package.loaded["luahttp.tasks"]
  if tasks then tasks.atexit(message) end
  return status
end

-- quiet: the REPL reports errors without the program name, as lua.c's doREPL does.
local function docall(f, ...)
  local r = table.pack(xpcall(f, msghandler, ...))
  if not r[1] then message(tostring(r[2])); return false end
  return true, r
end

local function replcall(f)
  local r = table.pack(xpcall(f, msghandler))
  if not r[1] then stderr:write(tostring(r[2]), "\n"); return false end
  return true, r
end

local function repl()
  local run = require("luahttp.repl")
  package.loaded["luahttp.repl"] = nil
  run(replcall, function(msg) stderr:write(msg, "\n") end, opts.stdintty)
end

local function dochunk(f, err)
  if not f then message(err); return false end
  return docall(f)
end

local argv, scriptindex = opts.argv, opts.scriptindex
local argt = {}
local base = scriptindex or 0
for i = 0, #argv do argt[i - base] = argv[i] end
arg = argt

if opts.version then
  io.stdout:write(_VERSION, ".6  Copyright (C) 1994-2023 Lua.org, PUC-Rio (luahttp ", opts.luahttpversion, ")\n")
end

if not opts.noenv then
  local init = os.getenv("LUA_INIT_5_4")
  local name = "=LUA_INIT_5_4"
  if not init then init, name = os.getenv("LUA_INIT"), "=LUA_INIT" end
  if init then
    local ok
    if init:sub(1, 1) == "@" then ok = dochunk(loadfile(init:sub(2)))
    else ok = dochunk(load(init, name)) end
    if not ok then return finish(1) end
  end
end

for _, action in ipairs(opts.actions) do
  local kind, value = action[1], action[2]
  if kind == "e" then
    if not dochunk(load(value, "=(command line)")) then return finish(1) end
  else
    local global, mod = value:match("^([^=]+)=(.*)$")
    if not global then global, mod = value, value end
    -- require is called directly, as lua.c does: its errors then carry no position of ours.
    local ok, r = docall(require, mod)
    if not ok then return finish(1) end
    _G[global] = r[2]
  end
end

if opts.script then
  local fname = opts.script
  local f, err
  if fname == "-" and argv[scriptindex - 1] ~= "--" then f, err = loadfile(nil) else f, err = loadfile(fname) end
  if not f then message(err); return finish(1) end
  local args = {}
  for i = scriptindex + 1, #argv do args[#args + 1] = argv[i] end
  if not docall(f, table.unpack(args, 1, #argv - scriptindex)) then return finish(1) end
elseif opts.readstdin then
  local f, err = loadfile(nil)
  if not f then message(err); return finish(1) end
  if not docall(f) then return finish(1) end
end
-- lua.c: -i enters the REPL after the script; so does a bare call on a terminal (after the version).
if opts.interactive then
  if not opts.version then
    io.stdout:write(_VERSION, ".6  Copyright (C) 1994-2023 Lua.org, PUC-Rio (luahttp ", opts.luahttpversion, ")\n")
  end
  repl()
end
return finish(0)
