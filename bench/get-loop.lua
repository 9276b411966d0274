-- 2,000 sequential GETs of a small JSON (the benchmark's request loop); prints µs per request.
local http = require("socket.http")
local socket = require("socket")
local url, n = arg[1], tonumber(arg[2]) or 2000
for _ = 1, 50 do http.request(url) end -- warm-up, not timed
local t0 = socket.gettime()
for _ = 1, n do
  local body, code = http.request(url)
  if code ~= 200 or #body == 0 then error("bad response " .. tostring(code)) end
end
print(string.format("%.1f", (socket.gettime() - t0) * 1e6 / n))
