-- An unsolicited "100 Continue" before the final response is skipped (RFC 9110 §15.2; LuaSocket
-- loops over 100s); when the final response after it fails, the failure is what the script gets.
local http = require("socket.http")
local body, code, h, status = http.request(arg[2] .. "/continue-then-ok")
print(body, code, status, h and h["content-length"])
print(http.request(arg[2] .. "/continue-then-truncated"))
