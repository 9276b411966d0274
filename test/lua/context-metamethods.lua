-- Requests inside __tostring (via tostring and print), __index, __call, __eq, __concat and __close.
local http = require("socket.http")
local base = arg[1]
local Resource = {}
Resource.__tostring = function(self)
  local _, code = http.request(base .. "/status/" .. self.code)
  return "Resource(" .. self.code .. " -> " .. code .. ")"
end
Resource.__index = function(self, k)
  local body = http.request(base .. "/anything/" .. k)
  return body:match('"url": "[^"]*/anything/([^"]*)"')
end
Resource.__call = function(self, n) return (select(2, http.request(base .. "/status/" .. n))) end
Resource.__concat = function(a, b) return tostring(a) .. "|" .. tostring(b) end
local r = setmetatable({ code = 201 }, Resource)
print(tostring(r))
print(r)
print(r.hello, r.world)
print(r(204))
print(r .. "tail")
do
  local guard <close> = setmetatable({}, { __close = function() print("closing", (select(2, http.request(base .. "/status/202")))) end })
  print("in block")
end
