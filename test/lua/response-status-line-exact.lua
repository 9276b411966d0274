-- The status line is returned as received: the server's HTTP version, a line that arrived in
-- several socket reads, an empty reason after the space, bytes outside ASCII.
local http = require("socket.http")
for _, path in ipairs { "/http10", "/status-split", "/status-split-code", "/empty-reason", "/latin1-reason", "/no-reason" } do
  local body, code, h, status = http.request(arg[2] .. path)
  print(path, string.format("%q", body), code, string.format("%q", status))
end
