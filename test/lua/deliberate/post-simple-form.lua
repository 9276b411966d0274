-- DELIBERATE DIFFERENCE (wire only): as headers-custom-capture.lua, undici writes `host` and
-- `content-length` in lower case and keeps the connection alive; the body and values are LuaSocket's.
-- Simple form with a body: POST, content-type x-www-form-urlencoded, content-length = #body.
local http = require("socket.http")
local body, code, headers, status = http.request(arg[1] .. "/post", "a=1&b=two+words&c=%26")
print(code, status)
io.write(body)
local raw = http.request(arg[2] .. "/capture", "k=v")
local lines = {}
for l in raw:gmatch("[^\r\n]+") do lines[#lines + 1] = l end
local first = table.remove(lines, 1)
table.sort(lines)
print(first)
for _, l in ipairs(lines) do print(l) end
-- empty body still sends Content-Length: 0
local raw2 = http.request(arg[2] .. "/capture", "")
print(raw2:match("[Cc]ontent%-[Ll]ength: %d+"), raw2:match("^(%u+)"))
