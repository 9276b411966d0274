-- os.exit(true, true) closes the state first: pending <close> and __gc run, exit code 0.
local t <close> = setmetatable({}, { __close = function() print("closed by os.exit") end })
setmetatable({}, { __gc = function() print("gc at close") end })
print("exiting")
os.exit(true, true)
