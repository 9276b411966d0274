-- DELIBERATE DIFFERENCE. LuaSocket 3.1.0 follows only 301/302/303/307 and returns a 308 as the
-- result (code 308, headers.location = "/get?from=308"). luahttp follows 308 like 307 (RFC 7538
-- permanent redirect that keeps the method), since modern servers use it for http->https and
-- trailing-slash moves and scripts expect to reach the resource.
local http = require("socket.http")
local body, code, h = http.request(arg[1] .. "/redirect-to?url=%2Fget%3Ffrom%3D308&status_code=308")
print(code, h["location"], body:match('"url": "([^"]*)"'))
