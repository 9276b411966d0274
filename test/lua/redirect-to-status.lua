-- 301, 302, 303 and 307 are followed for GET/HEAD (becoming GET); the method is not carried.
local http = require("socket.http")
local ltn12 = require("ltn12")
for _, c in ipairs{ 301, 302, 303, 307 } do
  local body, code, h = http.request(arg[1] .. "/redirect-to?url=%2Fget%3Ffrom%3D" .. c .. "&status_code=" .. c)
  print(c, code, h["location"], body:match('"url": "([^"]*)"'))
end
local t = {}
local r, code, h = http.request{ url = arg[1] .. "/redirect-to?url=%2Fanything&status_code=302", method = "HEAD", sink = ltn12.sink.table(t) }
print("HEAD", r, code, h["location"], #t)
