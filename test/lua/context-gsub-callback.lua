-- A request inside a string.gsub replacement function (a C function calling back into Lua).
local http = require("socket.http")
local tmpl = "codes: {201} {404} {500}"
local out, n = tmpl:gsub("{(%d+)}", function(code)
  local body, c, h, status = http.request(arg[1] .. "/status/" .. code)
  return status
end)
print(out, n)
print((("a-b-c"):gsub("%a", function(s)
  local body = http.request(arg[1] .. "/anything/" .. s)
  return body:match('"url": "[^"]*/(%a)"')
end)))
