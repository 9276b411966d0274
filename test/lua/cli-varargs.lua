-- The script's ... are its arguments.
local n = select("#", ...)
print(n, ...)
local a, b, c = ...
print(a == arg[1], b == arg[2], c == arg[3])
