-- Status lines are returned raw: no reason phrase, an uppercase reason.
local http = require("socket.http")
local body, code, h, status = http.request(arg[2] .. "/no-reason")
print(body, code, string.format("%q", status))
body, code, h, status = http.request(arg[2] .. "/lower-reason")
print(body, code, string.format("%q", status))
