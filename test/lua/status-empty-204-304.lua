-- 204 and 304 have no body even without a length.
local http = require("socket.http")
local body, code, h, status = http.request(arg[2] .. "/empty-204")
print(string.format("%q", body), code, status, h["x-empty"])
body, code, h, status = http.request(arg[2] .. "/304")
print(string.format("%q", body), code, status, h["etag"])
