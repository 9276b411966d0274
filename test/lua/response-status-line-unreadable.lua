-- Status lines: LuaSocket returns one it cannot read ("HTTP/%d*%.%d* (%d%d%d)" does not match) as
-- the error message, and reads the pattern unanchored (`HTTP/1.1 2000 OK` is a 200, `HTTP/. 201` a 201),
-- after an interim 100 too.
local http = require("socket.http")
for _, path in ipairs { "/status-bad-code", "/status-two-spaces", "/status-bad-version", "/status-four-digits",
  "/status-no-version-digits", "/status-after-continue" } do
  local body, code, h, status = http.request(arg[2] .. path)
  print(path, string.format("%q", tostring(body)), string.format("%q", tostring(code)), status and string.format("%q", status))
end
