-- io.write / io.stdout:write of every byte value reaches stdout unchanged.
local t = {}
for i = 0, 255 do t[#t + 1] = string.char(i) end
io.write(table.concat(t))
io.stdout:write("\n", "\0\255\128abc", "\n")
print("\0 nul in print", "\200")
io.write(1, " ", 2.5, " ", math.maxinteger, "\n")
