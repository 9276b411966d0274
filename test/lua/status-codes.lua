-- Status codes with their bodies: 4xx/5xx still return the body in the simple form.
local http = require("socket.http")
local ltn12 = require("ltn12")
for _, c in ipairs{ 200, 201, 204, 304, 400, 404, 418, 500 } do
  local body, code, h, status = http.request(arg[1] .. "/status/" .. c)
  print(c, code, status, #body)
  if c == 418 then io.write(body) end
end
local t = {}
local r, code, h, status = http.request{ url = arg[1] .. "/status/503", sink = ltn12.sink.table(t) }
print(r, code, status, #t)
