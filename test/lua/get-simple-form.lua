-- Simple form GET: returns body, code, headers, statusline; body is httpbin's JSON echo.
local http = require("socket.http")
local body, code, headers, status = http.request(arg[1] .. "/get?x=1&y=two")
print(type(body), code, status)
print("content-type", headers["content-type"])
io.write(body)
