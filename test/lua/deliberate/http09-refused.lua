-- DELIBERATE DIFFERENCE. LuaSocket 3.1.0 treats a reply whose first 5 bytes are not "HTTP/" as
-- HTTP/0.9: it returns the whole stream as the body with code 200 and nil headers/status
-- ("garbage, not an HTTP/1.x status line\n", 200, nil, nil). luahttp's parser (llhttp via undici)
-- refuses such replies: nil plus an explicit message. Accepting garbage as a 200 hides broken
-- servers, and no real HTTP/0.9 server is left to talk to.
local http = require("socket.http")
local body, err, h, status = http.request(arg[2] .. "/http09")
print(body, err, h, status)
