-- The `io` library of the `lua` CLI (liolib.c's observable behaviour) over luahttp's file primitives.
-- wasmoon's own io only sees an in-memory filesystem, so every file operation goes through `sys`.
local sys = ...

local type, select, error, tostring, setmetatable = type, select, error, tostring, setmetatable
local math_type, tointeger, sformat = math.type, math.tointeger, string.format
-- Captured now: the library's sandbox removes the debug library after boot.
local setmetatable_any = debug.setmetatable

local io = {}
local FILE = { __name = "FILE*" }
local methods = {}
FILE.__index = methods
-- Handle state lives beside the userdata (a weak table), so userdata stays opaque like a C FILE*.
local state = setmetatable({}, { __mode = "k" })

local function newfile(id, kind)
  local ud = sys.newudata()
  setmetatable_any(ud, FILE)
  state[ud] = { id = id, kind = kind }
  return ud
end

local function typeerror(fname, arg, expected, v)
  error(sformat("bad argument #%d to '%s' (%s expected, got %s)", arg, fname, expected,
    v == nil and "no value" or type(v)), 3)
end

-- tofile: a live handle or an error exactly like liolib's.
local function tofile(f, fname)
  local s = state[f]
  if not s then typeerror(fname, 1, "FILE*", f) end
  if s.closed then error("attempt to use a closed file", 3) end
  return s
end

local stdin = newfile(0, "std")
local stdout = newfile(1, "std")
local stderr = newfile(2, "std")
local defaultin, defaultout = stdin, stdout

local function closefile(s)
  if s.kind == "std" then return nil, "cannot close standard file" end
  s.closed = true
  return sys.fclose(s.id)
end

local function readformats(s, fname, first, ...)
  local id = s.id
  -- The common f:read(2048) of ltn12.source.file, without the general loop.
  if math_type(first) == "integer" and first >= 0 and select("#", ...) == 0 then return sys.fread(id, first) end
  local n = select("#", ...) + (first == nil and 0 or 1)
  if n == 0 then return sys.fread(id, "l") end
  local out = {}
  for i = 1, n do
    local fmt = select(i, first, ...)
    local v, err, errno
    if math_type(fmt) then
      local len = tointeger(fmt)
      if not len then error(sformat("bad argument #%d to '%s' (number has no integer representation)", i, fname), 3) end
      v, err, errno = sys.fread(id, len)
    elseif type(fmt) == "string" then
      local p = fmt:sub(1, 1) == "*" and fmt:sub(2, 2) or fmt:sub(1, 1)
      if p == "n" then
        v, err, errno = sys.fread(id, "n")
        if v then v = tonumber(v) end
      elseif p == "l" or p == "L" or p == "a" then
        v, err, errno = sys.fread(id, p)
      else
        error(sformat("bad argument #%d to '%s' (invalid format)", i, fname), 3)
      end
    else
      typeerror(fname, i, "string", fmt)
    end
    if err then return nil, err, errno end
    out[i] = v
    if v == nil then return table.unpack(out, 1, i) end
  end
  return table.unpack(out, 1, n)
end

local function writeargs(f, s, fname, ...)
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    local t = math_type(v)
    if t == "integer" then v = sformat("%d", v)
    elseif t == "float" then v = sformat("%.14g", v)
    elseif type(v) ~= "string" then typeerror(fname, i, "string", v) end
    local ok, err, errno = sys.fwrite(s.id, v)
    if not ok then return nil, err, errno end
  end
  return f
end

local function linesiter(s, closeatend, ...)
  local fmts = table.pack(...)
  if fmts.n > 250 then error("bad argument #252 to 'lines' (too many arguments)", 3) end
  return function()
    if s.closed then error("file is already closed", 2) end
    local r = table.pack(readformats(s, "lines", table.unpack(fmts, 1, fmts.n)))
    if r[1] == nil then
      if r.n > 1 and r[2] ~= nil then error(r[2], 2) end
      if closeatend then closefile(s) end
      return nil
    end
    return table.unpack(r, 1, r.n)
  end
end

function methods.read(f, ...) return readformats(tofile(f, "read"), "read", ...) end
function methods.write(f, ...) return writeargs(f, tofile(f, "write"), "write", ...) end
function methods.lines(f, ...) return linesiter(tofile(f, "lines"), false, ...) end
function methods.close(f) return closefile(tofile(f, "close")) end
-- true, or nil, message, errno (liolib's luaL_fileresult).
function methods.flush(f) return sys.fflush(tofile(f, "flush").id) end

local whences = { set = true, cur = true, ["end"] = true }
function methods.seek(f, whence, offset)
  local s = tofile(f, "seek")
  whence = whence == nil and "cur" or whence
  if not whences[whence] then error(sformat("bad argument #1 to 'seek' (invalid option '%s')", tostring(whence)), 2) end
  return sys.fseek(s.id, whence, offset or 0)
end

local vbufmodes = { no = true, full = true, line = true }
function methods.setvbuf(f, mode, size)
  local s = tofile(f, "setvbuf")
  if not vbufmodes[mode] then error(sformat("bad argument #1 to 'setvbuf' (invalid option '%s')", tostring(mode)), 2) end
  return sys.fsetvbuf(s.id, mode, size)
end

FILE.__tostring = function(f)
  local s = state[f]
  if s.closed then return "file (closed)" end
  return sformat("file (%p)", f)
end
local function collect(f)
  local s = state[f]
  if s and not s.closed and s.kind ~= "std" then closefile(s) end
end
FILE.__gc = collect
FILE.__close = collect

local function checkmode(mode)
  return type(mode) == "string" and mode:match("^[rwa]%+?b*$") ~= nil
end

function io.open(filename, mode)
  if type(filename) ~= "string" then typeerror("open", 1, "string", filename) end
  mode = mode == nil and "r" or mode
  if not checkmode(mode) then error("bad argument #2 to 'open' (invalid mode)", 2) end
  local id, err, errno = sys.fopen(filename, mode)
  if not id then return nil, err, errno end
  return newfile(id, "file")
end

-- liolib's opencheckfile (io.lines, io.input, io.output with a name).
local function openchecked(filename, mode)
  local id, err = sys.fopen(filename, mode)
  if not id then error(sformat("cannot open file '%s' (%s)", filename, err:sub(#filename + 3)), 3) end
  return newfile(id, "file")
end

function io.close(f)
  if f == nil then f = defaultout end
  return methods.close(f)
end

function io.read(...) return readformats(tofile(defaultin, "read"), "read", ...) end
function io.write(...) return writeargs(defaultout, tofile(defaultout, "write"), "write", ...) end
function io.flush() return methods.flush(defaultout) end

function io.lines(filename, ...)
  if filename == nil then return linesiter(tofile(defaultin, "lines"), false, ...) end
  if type(filename) ~= "string" then typeerror("lines", 1, "string", filename) end
  local f = openchecked(filename, "r")
  return linesiter(state[f], true, ...), nil, nil, f
end

local function g_iofile(getset, mode)
  return function(file)
    if file ~= nil then
      if type(file) == "string" then file = openchecked(file, mode)
      else tofile(file, getset == "in" and "input" or "output") end
      if getset == "in" then defaultin = file else defaultout = file end
    end
    return getset == "in" and defaultin or defaultout
  end
end
io.input = g_iofile("in", "r")
io.output = g_iofile("out", "w")

function io.type(obj)
  local s = state[obj]
  if not s then return nil end
  return s.closed and "closed file" or "file"
end

function io.tmpfile()
  local id, err, errno = sys.tmpfile()
  if not id then return nil, err, errno end
  return newfile(id, "file")
end

function io.popen(prog, mode)
  if type(prog) ~= "string" then typeerror("popen", 1, "string", prog) end
  mode = mode == nil and "r" or mode
  if mode ~= "r" and mode ~= "w" then error("bad argument #2 to 'popen' (invalid mode)", 2) end
  local id, err, errno = sys.popen(prog, mode)
  if not id then return nil, err, errno end
  return newfile(id, "popen")
end

io.stdin, io.stdout, io.stderr = stdin, stdout, stderr
return io
