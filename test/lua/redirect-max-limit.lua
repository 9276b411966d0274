-- Past maxredirects the last 3xx is returned as the result, with its Location.
local http = require("socket.http")
local ltn12 = require("ltn12")
local body, code, h, status = http.request(arg[1] .. "/redirect/7")
print("default", code, status, h["location"], #body)
for _, m in ipairs{ 0, 2 } do
  local t = {}
  local r, c, hh = http.request{ url = arg[1] .. "/redirect/3", maxredirects = m, sink = ltn12.sink.table(t) }
  print("max", m, r, c, hh["location"])
end
local r, c, hh = http.request{ url = arg[1] .. "/redirect/6", maxredirects = false, sink = ltn12.sink.null() }
print("unlimited", r, c, hh["location"])
