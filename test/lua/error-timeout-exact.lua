-- http.TIMEOUT = 0.2 gives up after 0.2 s, on a missing head and on a stalled body alike: a server
-- that closes the connection 0.6 s after the request gets "timeout", not "closed" (undici's coarse
-- timers took 1 s), and the wait is over well before 0.7 s (a generous bound for a loaded machine).
local http = require("socket.http")
local socket = require("socket")
-- A first request loads the transport, so the timed ones below measure only their wait.
print((http.request(arg[2] .. "/no-reason")))
http.TIMEOUT = 0.2
for _, path in ipairs { "/stall-then-close", "/stall-body-then-close" } do
  print(path, http.request(arg[2] .. path .. "?ms=600"))
  local t0 = socket.gettime()
  local ok, err = http.request(arg[2] .. path .. "?ms=3000")
  local elapsed = socket.gettime() - t0
  print(path, ok, err, elapsed >= 0.15, elapsed < 0.7)
end
