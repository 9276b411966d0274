-- 200,000 chunks (6 MB) in every odd form LuaSocket reads (extensions with blanks and quoted values,
-- bare-LF size lines, blanks around the size, junk after the data), cut wherever socket reads end:
-- each reaches the sink as one string, in order.
local http = require("socket.http")
local n, bytes, sum = 0, 0, 0
local ok, code = http.request {
  url = arg[2] .. "/many-odd-chunks?n=200000",
  sink = function(chunk)
    if chunk then
      n = n + 1
      bytes = bytes + #chunk
      sum = (sum * 31 + chunk:byte(1) + #chunk) % 1000000007
    end
    return 1
  end,
}
print(ok, code, n, bytes, sum)
