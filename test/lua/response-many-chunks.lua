-- A chunked body of 1,000,000 one-byte chunks reaches the sink as 1,000,000 strings (one per chunk,
-- as LuaSocket reads them), in linear time: the chunks queue up faster than the script takes them
-- (a queue that shifted an array took minutes here, over the differential run's time limit).
local http = require("socket.http")
local n, bytes = 0, 0
local ok, code = http.request {
  url = arg[2] .. "/many-chunks?n=1000000",
  sink = function(chunk)
    if chunk then n = n + 1; bytes = bytes + #chunk end
    return 1
  end,
}
print(ok, code, n, bytes)
