-- `lfs`: LuaFileSystem 1.8.0's module (Debian's lua-filesystem) over luahttp's JS core
-- (src/cores/lfs-core.ts, every filesystem call in one place). This file gives the results lfs's
-- shapes: lauxlib argument errors, `nil, message, errno` failures, the attribute tables, the directory
-- iterator and its object, lock_dir's lock object, and the global `lfs` that luaopen_lfs sets.
-- Paths are C strings in lfs: they end at their first NUL byte, here too.
-- Deliberately different: lock/unlock (Node has no fcntl) check their arguments and the range as
-- F_SETLK does and succeed, without excluding other processes (see README, Compatibility).
local core = require("luahttp.core.lfs")
package.loaded["luahttp.core.lfs"] = nil
local argcheck = require("luahttp.argcheck")
local argerror, typename = argcheck.argerror, argcheck.typename

local type, select, tostring, error, rawset, setmetatable, tointeger, tonumber =
  type, select, tostring, error, rawset, setmetatable, math.tointeger, tonumber
local find, sub, format = string.find, string.sub, string.format
local io_type = io.type
local setudmetatable = debug.setmetatable

local lfs = {}

-- lua_tolstring's view for luaL_checkstring: strings, and numbers as text; nil otherwise.
local function tostr(v)
  local t = type(v)
  if t == "string" then return v end
  if t == "number" then return tostring(v) end
  return nil
end

-- The C string a system call sees.
local function cstr(s)
  local z = find(s, "\0", 1, true)
  return z and sub(s, 1, z - 1) or s
end

local function expected(what, v, present)
  return format("%s expected, got %s", what, typename(v, present))
end

-- luaL_checkinteger / luaL_optinteger's value, or nil and the argerror message.
local function tointarg(v, present)
  local n = type(v) == "number" and v or (type(v) == "string" and tonumber(v)) or nil
  if n == nil then return nil, expected("number", v, present) end
  local i = tointeger(n)
  if not i then return nil, "number has no integer representation" end
  return i
end

---------------------------------------------------------------------------
-- attributes / symlinkattributes
---------------------------------------------------------------------------

local MEMBERS = { "mode", "dev", "ino", "nlink", "uid", "gid", "rdev", "access", "modification", "change", "size",
  "permissions", "blocks", "blksize" }
local INDEX = {}
for i, name in ipairs(MEMBERS) do INDEX[name] = i end

-- _file_info_: one member, the table of all, or nil, message, errno. `level` names the caller of the
-- public function for the invalid-name error.
-- The result count comes first, so the public functions return exactly as many values as lfs does
-- without a tail call (which would lose the caller's position in the error).
local function file_info(follow, file, request, level)
  local info = table.pack(core.stat(file, follow))
  if info[1] == nil then
    return 3, nil, format("cannot obtain information from file '%s': %s", file, info[2]), info[3]
  end
  local name = tostr(request)
  if name then
    local i = INDEX[name]
    if not i then error(format("invalid attribute name '%s'", cstr(name)), level + 1) end
    return 1, info[i]
  end
  local t = type(request) == "table" and request or {}
  for i, member in ipairs(MEMBERS) do rawset(t, member, info[i]) end
  return 1, t
end

--- lfs.attributes(filepath [, request_name | result_table]): stat(2) of the file.
function lfs.attributes(...)
  local file = tostr((...))
  if not file then argerror(1, expected("string", (...), select("#", ...) > 0)) end
  local n, a, b, c = file_info(true, cstr(file), (select(2, ...)), 2)
  if n == 1 then return a end
  return a, b, c
end

--- lfs.symlinkattributes(filepath [, request_name | result_table]): lstat(2), plus `target` for a link.
function lfs.symlinkattributes(...)
  local file = tostr((...))
  if not file then argerror(1, expected("string", (...), select("#", ...) > 0)) end
  file = cstr(file)
  local request = select(2, ...)
  if tostr(request) == "target" then
    local target, err, errno = core.readlink(file)
    if target then return target end
    return nil, "could not obtain link target: " .. err, errno
  end
  local n, a, b, c = file_info(false, file, request, 2)
  if n == 3 then return a, b, c end
  if type(a) == "table" then
    local target = core.readlink(file)
    if target then a.target = target end
  end
  return a
end

---------------------------------------------------------------------------
-- Directories
---------------------------------------------------------------------------

local DIR = { __name = "directory metatable" }
local dirstate = setmetatable({}, { __mode = "k" })

-- dir_iter: "." and "..", then readdir's names; nothing once the directory is exhausted.
local function dir_iter(...)
  local d = ...
  local s = dirstate[d]
  if not s then argerror(1, expected("directory metatable", d, select("#", ...) > 0)) end
  if s.closed then argerror(1, "closed directory") end
  local phase = s.phase
  if phase < 2 then
    s.phase = phase + 1
    return phase == 0 and "." or ".."
  end
  local name = core.readdir(s.id)
  if name == nil then s.closed = true return end
  return name
end

-- dir_close: also __gc and __close. lfs reads the userdata without a type check.
local function dir_close(d)
  local s = dirstate[d]
  if s and not s.closed then
    s.closed = true
    core.closedir(s.id)
  end
end

DIR.__index = { next = dir_iter, close = dir_close }
DIR.__gc = dir_close
DIR.__close = dir_close

--- lfs.dir(path): iterator, directory object, nil, directory object (a to-be-closed value in 5.4).
function lfs.dir(...)
  local path = tostr((...))
  if not path then argerror(1, expected("string", (...), select("#", ...) > 0)) end
  path = cstr(path)
  local id, err = core.opendir(path)
  if not id then error(format("cannot open %s: %s", path, err), 2) end
  local d = core.newudata()
  setudmetatable(d, DIR)
  dirstate[d] = { id = id, phase = 0, closed = false }
  return dir_iter, d, nil, d
end

---------------------------------------------------------------------------
-- Files and directories
---------------------------------------------------------------------------

-- pushresult: true, or nil, strerror, errno.
local function result(ok, err, errno)
  if ok then return true end
  return nil, err, errno
end

--- lfs.mkdir(path): mkdir(2) with mode rwxrwxr-x.
function lfs.mkdir(...)
  local path = tostr((...))
  if not path then argerror(1, expected("string", (...), select("#", ...) > 0)) end
  return result(core.mkdir(cstr(path)))
end

--- lfs.rmdir(path): rmdir(2).
function lfs.rmdir(...)
  local path = tostr((...))
  if not path then argerror(1, expected("string", (...), select("#", ...) > 0)) end
  return result(core.rmdir(cstr(path)))
end

--- lfs.link(old, new [, symlink]): link(2), or symlink(2) when the third argument is true.
function lfs.link(...)
  local old, new = tostr((...)), tostr((select(2, ...)))
  if not old then argerror(1, expected("string", (...), select("#", ...) > 0)) end
  if not new then argerror(2, expected("string", (select(2, ...)), select("#", ...) > 1)) end
  return result(core.link(cstr(old), cstr(new), (select(3, ...)) and true or false))
end

--- lfs.touch(filepath [, atime [, mtime]]): utime(2); no time = now, mtime defaults to atime.
function lfs.touch(...)
  local n = select("#", ...)
  local file, atime, mtime = ...
  file = tostr(file)
  if not file then argerror(1, expected("string", (...), n > 0)) end
  if n == 1 then return result(core.touch(cstr(file), true)) end
  -- luaL_optnumber, then C's (time_t) conversion: toward zero
  local at = 0
  if atime ~= nil then
    at = type(atime) == "number" and atime or (type(atime) == "string" and tonumber(atime)) or nil
    if at == nil then argerror(2, expected("number", atime, n > 1)) end
    at = at >= 0 and math.floor(at) or -math.floor(-at)
  end
  local mt = at
  if mtime ~= nil then
    local i, msg = tointarg(mtime, n > 2)
    if not i then argerror(3, msg) end
    mt = i
  end
  return result(core.touch(cstr(file), false, at, mt))
end

--- lfs.currentdir(): getcwd(3).
function lfs.currentdir()
  return core.currentdir()
end

--- lfs.chdir(path): true, or nil and lfs's two-line message.
function lfs.chdir(...)
  local path = tostr((...))
  if not path then argerror(1, expected("string", (...), select("#", ...) > 0)) end
  path = cstr(path)
  local ok, err = core.chdir(path)
  if ok then return true end
  return nil, format("Unable to change working directory to '%s'\n%s\n", path, err)
end

---------------------------------------------------------------------------
-- Locks
---------------------------------------------------------------------------

-- check_file: a FILE* (luaL_checkudata) that is open, else lfs's errors. Returns nil or the
-- argerror message; a closed file raises here (luaL_error names the public function's caller).
local function file_problem(f, present, funcname)
  local kind = io_type(f)
  if kind == nil then return expected("FILE*", f, present) end
  if kind == "closed file" then error(funcname .. ": closed file", 3) end
  return nil
end

-- _file_lock's checks of F_SETLK on Linux: the mode letter, then the range.
local function file_lock(mode, start, len, funcname)
  local m = sub(mode, 1, 1)
  if m ~= "r" and m ~= "w" and m ~= "u" then error(funcname .. ": invalid mode", 3) end
  if start < 0 or (len < 0 and start + len < 0) then return nil, "Invalid argument" end
  return true
end

--- lfs.lock(filehandle, mode [, start [, length]]): mode "r" or "w". POSIX locks never conflict
--- within one process, so a lock taken here always succeeds; other processes are not excluded.
function lfs.lock(...)
  local n = select("#", ...)
  local fh, mode, start, len = ...
  local problem = file_problem(fh, n > 0, "lock")
  if problem then argerror(1, problem) end
  mode = tostr(mode)
  if not mode then argerror(2, expected("string", (select(2, ...)), n > 1)) end
  local s, l = 0, 0
  if start ~= nil then
    local i, msg = tointarg(start, n > 2)
    if not i then argerror(3, msg) end
    s = i
  end
  if len ~= nil then
    local i, msg = tointarg(len, n > 3)
    if not i then argerror(4, msg) end
    l = i
  end
  local ok, err = file_lock(mode, s, l, "lock")
  if ok then return true end
  return nil, err
end

--- lfs.unlock(filehandle [, start [, length]]).
function lfs.unlock(...)
  local n = select("#", ...)
  local fh, start, len = ...
  local problem = file_problem(fh, n > 0, "unlock")
  if problem then argerror(1, problem) end
  local s, l = 0, 0
  if start ~= nil then
    local i, msg = tointarg(start, n > 1)
    if not i then argerror(2, msg) end
    s = i
  end
  if len ~= nil then
    local i, msg = tointarg(len, n > 2)
    if not i then argerror(3, msg) end
    l = i
  end
  local ok, err = file_lock("u", s, l, "unlock")
  if ok then return true end
  return nil, err
end

--- lfs.setmode(file, mode): "binary" or "text"; on POSIX both are the same, and lfs answers true, "binary".
function lfs.setmode(...)
  local n = select("#", ...)
  local fh, mode = ...
  local problem = file_problem(fh, n > 0, "setmode")
  if problem then argerror(1, problem) end
  local name = tostr(mode)
  if not name then argerror(2, expected("string", mode, n > 1)) end
  if name ~= "binary" and name ~= "text" then argerror(2, format("invalid option '%s'", name)) end
  return true, "binary"
end

local LOCK = { __name = "lock metatable" }
local lockstate = setmetatable({}, { __mode = "k" })

-- lfs_unlock_dir: removes the lock link once (free and __gc).
local function unlock_dir(...)
  local lock = ...
  local s = lockstate[lock]
  if not s then argerror(1, expected("lock metatable", lock, select("#", ...) > 0)) end
  if s.link then
    core.unlink(s.link)
    s.link = nil
  end
end
LOCK.__index = { free = unlock_dir }
LOCK.__gc = unlock_dir

--- lfs.lock_dir(path [, seconds_stale]): creates path/lockfile.lfs (a symbolic link to "lock");
--- a lock object with free(), or nil and strerror's text when the lock exists.
function lfs.lock_dir(...)
  local path = tostr((...))
  if not path then argerror(1, expected("string", (...), select("#", ...) > 0)) end
  local link = cstr(path) .. "/lockfile.lfs"
  local ok, err = core.link("lock", link, true)
  if not ok then return nil, err end
  local lock = core.newudata()
  setudmetatable(lock, LOCK)
  lockstate[lock] = { link = link }
  return lock
end

lfs._COPYRIGHT = "Copyright (C) 2003-2017 Kepler Project"
lfs._DESCRIPTION = "LuaFileSystem is a Lua library developed to complement the set of functions related to file systems offered by the standard Lua distribution"
lfs._VERSION = "LuaFileSystem 1.8.0"

-- luaopen_lfs also sets the global.
_G.lfs = lfs
return lfs
