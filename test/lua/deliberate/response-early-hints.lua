-- DELIBERATE DIFFERENCE: LuaSocket 3.1.0 skips only "100 Continue"; any other interim response
-- (here 103 Early Hints) ends its request with that 1xx as the result: `1, 103, {link = …},
-- "HTTP/1.1 103 Early Hints"`, the final response left unread. luahttp skips every 1xx, as RFC 9110
-- §15.2 asks of a client, and returns the final response; when that one fails (its body cut short),
-- the script gets the failure, never the 1xx as a success.
local http = require("socket.http")
local body, code, h, status = http.request(arg[2] .. "/early-hints-then-ok")
print(body, code, status, h and h.link)
print(http.request(arg[2] .. "/early-hints-then-truncated"))
