-- The arg table: arg[0] is the script, arg[1..n] the arguments; negative indices hold the
-- interpreter (printed only as a count since the interpreter name differs).
print(arg[0], #arg)
for i = 0, #arg do print(i, arg[i]) end
local neg = 0
for k in pairs(arg) do if type(k) == "number" and k < 0 then neg = neg + 1 end end
print("negative indices", neg, type(arg[-1]))
