-- loadfile and dofile on a sibling file; load with a chunk name; errors from loadfile.
local dir = arg[0]:match("^(.*)/[^/]*$") or "."
local f = assert(loadfile(dir .. "/modules/dofile_target.lua"))
print(f("x", "y"))
print(dofile(dir .. "/modules/dofile_target.lua"))
print(loadfile(dir .. "/modules/missing.lua") == nil)
print(load("return 1 + ...", "=chunk")(41))
print(load("syntax error here", "=bad"))
local done = false
local g = load(function() if done then return nil end done = true return "return 'from reader'" end)
print(g and g())
