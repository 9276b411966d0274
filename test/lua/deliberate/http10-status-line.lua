-- DELIBERATE DIFFERENCE. LuaSocket 3.1.0 returns the status line verbatim, so an HTTP/1.0 reply
-- gives "HTTP/1.0 200 OK". luahttp rebuilds the status line from undici's parsed response, which
-- does not expose the server's HTTP version, so it reports "HTTP/1.1 200 OK". Code, headers and
-- the close-delimited body are the same as LuaSocket's.
local http = require("socket.http")
local body, code, h, status = http.request(arg[2] .. "/http10")
print(string.format("%q", body), code, status, h["content-type"])
