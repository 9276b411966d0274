-- LuaFileSystem 1.8.0's API on a scratch directory: every function, its results and failures
-- (`nil, strerror, errno`), argument errors and their positions, the directory object, lock_dir.
-- Paths print relative to the scratch directory; values that differ from run to run (inode
-- numbers, times of creation) print as their types or as comparisons.
local lfs = require("lfs")

local root = os.tmpname()
os.remove(root)
assert(lfs.mkdir(root))
local home = lfs.currentdir()

local function show(v)
  if type(v) == "string" then return (string.format("%q", (v:gsub(root:gsub("%p", "%%%0"), "<tmp>"))):gsub("\\\n", "\\n")) end
  if math.type(v) == "integer" then return tostring(v) .. "i" end
  if type(v) == "userdata" then return (tostring(v):gsub("0x%x+", "ADDR")) end
  return tostring(v)
end
local function run(f, ...)
  local r = table.pack(pcall(f, ...))
  local parts = {}
  for i = 2, r.n do parts[#parts + 1] = show(r[i]) end
  return (r[1] and "ok " or "error ") .. table.concat(parts, " ")
end
local function case(label, text) print(label .. " => " .. text) end
local function p(name) return root .. "/" .. name end

-- Module
local names = {}
for k, v in pairs(lfs) do names[#names + 1] = k .. ":" .. type(v) end
table.sort(names)
print("fields", table.concat(names, " "))
print("version", lfs._VERSION, lfs._COPYRIGHT)
print("description", lfs._DESCRIPTION)
print("global", _G.lfs == lfs)

-- mkdir / rmdir
case("mkdir new", run(lfs.mkdir, p("d")))
case("mkdir again", run(lfs.mkdir, p("d")))
case("mkdir no parent", run(lfs.mkdir, p("none/sub")))
case("mkdir()", run(function() local r = lfs.mkdir() return r end))
case("mkdir({})", run(function() local r = lfs.mkdir({}) return r end))
case("dir permissions", run(lfs.attributes, p("d"), "permissions"))
case("dir mode", run(lfs.attributes, p("d"), "mode"))
case("rmdir missing", run(lfs.rmdir, p("missing")))

-- files: touch, attributes
local f = assert(io.open(p("file.txt"), "w"))
f:write("hello")
f:close()
case("touch times", run(lfs.touch, p("file.txt"), 1000, 2000))
case("access", run(lfs.attributes, p("file.txt"), "access"))
case("modification", run(lfs.attributes, p("file.txt"), "modification"))
case("touch one time", run(lfs.touch, p("file.txt"), 1234.9))
case("after one time", run(function() local a = lfs.attributes(p("file.txt")) return a.access, a.modification end))
case("touch nil", run(lfs.touch, p("file.txt"), nil))
case("after nil", run(function() local a = lfs.attributes(p("file.txt")) return a.access, a.modification end))
case("touch string times", run(lfs.touch, p("file.txt"), "77", "88"))
case("after strings", run(function() local a = lfs.attributes(p("file.txt")) return a.access, a.modification end))
case("touch negative", run(lfs.touch, p("file.txt"), -10.5, -20))
case("after negative", run(function() local a = lfs.attributes(p("file.txt")) return a.access, a.modification end))
case("touch bad mtime", run(function() local r = lfs.touch(p("file.txt"), 5, 6.5) return r end))
case("touch bad atime", run(function() local r = lfs.touch(p("file.txt"), "x") return r end))
case("touch bad atime table", run(function() local r = lfs.touch(p("file.txt"), {}) return r end))
case("touch missing", run(lfs.touch, p("missing")))
case("touch now", run(function()
  local before = os.time()
  assert(lfs.touch(p("file.txt")))
  local m = lfs.attributes(p("file.txt"), "modification")
  return m >= before - 2 and m <= os.time() + 2
end))
local a = lfs.attributes(p("file.txt"))
local keys = {}
for k, v in pairs(a) do keys[#keys + 1] = k .. ":" .. (math.type(v) or type(v)) end
for k, v in pairs(a) do if type(v) ~= "number" then keys[#keys + 1] = k .. "=" .. v end end
table.sort(keys)
print("attributes", table.concat(keys, " "))
print("file values", a.mode, a.size, a.nlink, a.permissions, a.blocks, a.rdev, a.blksize > 0, a.ino > 0, a.dev > 0)
case("size", run(lfs.attributes, p("file.txt"), "size"))
case("same table", run(function() local t = { keep = 1 } local r = lfs.attributes(p("file.txt"), t) return r == t, t.keep, t.size end))
case("request true", run(function() local r = lfs.attributes(p("file.txt"), true) return type(r), r.size end))
case("bad name", run(function() local r = lfs.attributes(p("file.txt"), "nope") return r end))
case("number name", run(function() local r = lfs.attributes(p("file.txt"), 1) return r end))
case("missing", run(lfs.attributes, p("missing")))
case("missing with name", run(lfs.attributes, p("missing"), "nope"))
case("NUL cuts the path", run(lfs.attributes, p("file.txt\0ignored"), "size"))
case("NUL in message", run(lfs.attributes, p("nofile\0ignored")))
case("attributes()", run(function() local r = lfs.attributes() return r end))
case("attributes(nil)", run(function() local r = lfs.attributes(nil) return r end))
case("attributes via pcall", run(lfs.attributes, {}))
case("not a dir", run(lfs.attributes, p("file.txt/x")))
case("dir nlink", run(lfs.attributes, p("d"), "nlink"))

-- links
case("hard link", run(lfs.link, p("file.txt"), p("hard.txt")))
case("nlink now", run(lfs.attributes, p("file.txt"), "nlink"))
case("hard link exists", run(lfs.link, p("file.txt"), p("hard.txt")))
case("symlink", run(lfs.link, "file.txt", p("sym"), true))
case("dangling symlink", run(lfs.link, "nowhere", p("dangling"), 1))
case("link(1 arg)", run(function() local r = lfs.link(p("x")) return r end))
case("symlink mode", run(lfs.symlinkattributes, p("sym"), "mode"))
case("symlink target", run(lfs.symlinkattributes, p("sym"), "target"))
case("symlink size", run(lfs.symlinkattributes, p("sym"), "size"))
case("symlink table", run(function() local t = lfs.symlinkattributes(p("sym")) return t.mode, t.target, t.size end))
case("followed", run(lfs.attributes, p("sym"), "mode"))
case("dangling followed", run(lfs.attributes, p("dangling")))
case("dangling lstat", run(function() local t = lfs.symlinkattributes(p("dangling")) return t.mode, t.target end))
case("target of a file", run(lfs.symlinkattributes, p("file.txt"), "target"))
case("target of missing", run(lfs.symlinkattributes, p("missing"), "target"))
case("file table has no target", run(function() local t = lfs.symlinkattributes(p("file.txt")) return t.mode, t.target end))
case("symlinkattributes bad name", run(function() local r = lfs.symlinkattributes(p("sym"), "nope") return r end))
case("symlinkattributes missing", run(lfs.symlinkattributes, p("missing")))

-- rmdir failures
assert(io.open(p("d/inner"), "w")):close()
case("rmdir not empty", run(lfs.rmdir, p("d")))
case("rmdir a file", run(lfs.rmdir, p("file.txt")))

-- dir
local listed = {}
for name in lfs.dir(root) do listed[#listed + 1] = name end
table.sort(listed)
print("listing", table.concat(listed, " "))
case("dir missing", run(function() local r = lfs.dir(p("missing")) return r end))
case("dir of a file", run(function() local r = lfs.dir(p("file.txt")) return r end))
case("dir()", run(function() local r = lfs.dir() return r end))
case("dir returns", run(function()
  local it, d, init, closing = lfs.dir(root)
  return type(it), type(d), init, rawequal(d, closing), tostring(d):match("^directory metatable: ") ~= nil
end))
case("methods", run(function()
  local _, d = lfs.dir(p("d"))
  local seen = {}
  for _ = 1, 3 do seen[#seen + 1] = tostring(d:next()) end
  table.sort(seen)
  local after = table.pack(d:next())
  return table.concat(seen, ","), after.n
end))
case("next after end", run(function()
  local _, d = lfs.dir(p("d"))
  while d:next() do end
  local r = d:next()
  return r
end))
case("close then next", run(function()
  local _, d = lfs.dir(p("d"))
  d:close()
  d:close()
  local r = d.next(d)
  return r
end))
case("iterator on closed", run(function()
  local it, d = lfs.dir(p("d"))
  d:close()
  for _ in it, d do end
end))
case("iterator bad self", run(function() local it = lfs.dir(p("d")) local r = it({}) return r end))
case("break closes", run(function()
  local n = 0
  for _ in lfs.dir(root) do n = n + 1 break end
  return n
end))

-- chdir / currentdir
case("chdir", run(lfs.chdir, root))
case("currentdir", run(lfs.currentdir))
case("relative attributes", run(lfs.attributes, "file.txt", "size"))
case("io sees the new cwd", run(function() local fh = assert(io.open("file.txt")) local s = fh:read("a") fh:close() return s end))
case("mkdir number", run(lfs.mkdir, 123))
case("number dir exists", run(lfs.attributes, "123", "mode"))
case("rmdir number", run(lfs.rmdir, 123))
case("chdir missing", run(lfs.chdir, p("missing")))
case("chdir file", run(lfs.chdir, p("file.txt")))
case("chdir()", run(function() local r = lfs.chdir() return r end))
case("chdir back", run(lfs.chdir, home))
case("currentdir back", run(function() return lfs.currentdir() == home end))

-- lock / unlock / setmode
local fh = assert(io.open(p("lockme"), "w+"))
case("lock w", run(lfs.lock, fh, "w"))
case("lock r range", run(lfs.lock, fh, "r", 10, 5))
case("lock word mode", run(lfs.lock, fh, "write"))
case("lock bad mode", run(function() local r = lfs.lock(fh, "x") return r end))
case("lock empty mode", run(function() local r = lfs.lock(fh, "") return r end))
case("lock negative start", run(lfs.lock, fh, "w", -1))
case("lock negative length", run(lfs.lock, fh, "w", 10, -5))
case("lock negative length past 0", run(lfs.lock, fh, "w", 3, -5))
case("lock no mode", run(function() local r = lfs.lock(fh) return r end))
case("lock bad start", run(function() local r = lfs.lock(fh, "w", "x") return r end))
case("lock float start", run(function() local r = lfs.lock(fh, "w", 1.5) return r end))
case("lock not a file", run(function() local r = lfs.lock("x", "w") return r end))
case("lock nothing", run(function() local r = lfs.lock() return r end))
case("unlock", run(lfs.unlock, fh))
case("unlock range", run(lfs.unlock, fh, 0, 10))
case("unlock negative", run(lfs.unlock, fh, -3))
case("unlock bad", run(function() local r = lfs.unlock(fh, {}) return r end))
case("setmode text", run(lfs.setmode, fh, "text"))
case("setmode binary", run(lfs.setmode, fh, "binary"))
case("setmode bad", run(function() local r = lfs.setmode(fh, "raw") return r end))
case("setmode none", run(function() local r = lfs.setmode(fh) return r end))
case("setmode stdout", run(lfs.setmode, io.stdout, "binary"))
fh:close()
case("lock closed", run(function() local r = lfs.lock(fh, "w") return r end))
case("unlock closed", run(function() local r = lfs.unlock(fh) return r end))
case("setmode closed", run(function() local r = lfs.setmode(fh, "text") return r end))

-- lock_dir
local lock, err = lfs.lock_dir(root)
print("lock_dir", show(lock), err)
case("lock link", run(lfs.symlinkattributes, p("lockfile.lfs"), "target"))
case("second lock_dir", run(lfs.lock_dir, root))
case("lock_dir missing", run(lfs.lock_dir, p("missing")))
case("free", run(function() return lock:free() end))
case("link gone", run(lfs.symlinkattributes, p("lockfile.lfs"), "mode"))
case("free twice", run(function() return lock:free() end))
case("lock again after free", run(function() local l = lfs.lock_dir(root) local ok = l ~= nil l:free() return ok end))
case("free bad self", run(function() local r = lock.free({}) return r end))

-- special files
for _, name in ipairs { "/dev/null", "/dev/zero", "/", "/proc/self" } do
  case("special " .. name, run(function()
    local t = lfs.attributes(name)
    return t.mode, t.rdev, t.permissions, lfs.symlinkattributes(name, "mode")
  end))
end
os.execute("mkfifo " .. p("fifo"))
case("fifo", run(function() return lfs.attributes(p("fifo"), "mode"), lfs.attributes(p("fifo"), "size") end))
os.remove(p("fifo"))

-- cleanup
for _, name in ipairs { "file.txt", "hard.txt", "sym", "dangling", "lockme", "d/inner" } do assert(os.remove(p(name))) end
assert(lfs.rmdir(p("d")))
case("rmdir root", run(lfs.rmdir, root))
case("root gone", run(lfs.attributes, root, "mode"))
