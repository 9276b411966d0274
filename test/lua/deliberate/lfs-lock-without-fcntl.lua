-- DELIBERATE DIFFERENCES of the built-in lfs.
-- 1. lfs.lock/unlock call fcntl(F_SETLK); Node has no fcntl, so luahttp's lfs checks
-- the arguments, the mode letter and the range as F_SETLK does and then succeeds without taking a lock:
-- other processes are not excluded (POSIX record locks never conflict inside one process, so a single
-- script sees no difference), and a lock the descriptor's access mode forbids is not refused.
-- lua5.4 + lua-filesystem prints `nil  Bad file descriptor` for the two locks below.
local lfs = require("lfs")
local name = os.tmpname()
local ro = assert(io.open(name, "r"))
print(lfs.lock(ro, "w"))
local wo = assert(io.open(name, "w"))
print(lfs.lock(wo, "r"))
ro:close()
wo:close()
os.remove(name)
-- 2. lfs.dir lists "." and ".." first, then the other names in readdir's order; lua-filesystem gives
--    all of them in readdir's order (on most filesystems "." and ".." come first too).
local dir = os.tmpname()
os.remove(dir)
assert(lfs.mkdir(dir))
local names = {}
for n in lfs.dir(dir) do names[#names + 1] = n end
print(table.concat(names, " "))
assert(lfs.rmdir(dir))
