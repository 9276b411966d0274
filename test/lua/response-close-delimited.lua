-- HTTP/1.1 response without length: body read until the server closes.
local http = require("socket.http")
local body, code, h, status = http.request(arg[2] .. "/close-delimited")
print(string.format("%q", body), code, status, h["content-length"], h["content-type"])
