-- An obs-fold continuation line is appended to the previous header value.
local http = require("socket.http")
local body, code, h = http.request(arg[2] .. "/folded")
print(body, code)
print(string.format("%q", tostring(h["x-folded"])))
