-- A task that waits for a permit nobody will give back: waiting for it is an error, not a hang.
local lh = require "luahttp"
local sem = lh.semaphore(0)
local t = lh.spawn(function() sem:acquire() return "never" end)
print(pcall(t.wait, t))
