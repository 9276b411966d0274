-- A producer/consumer pair of coroutines doing requests inside coroutine.wrap, checking
-- coroutine.status / isyieldable / running along the way.
local http = require("socket.http")
local base = arg[1]
local main, ismain = coroutine.running()
print("main", ismain, coroutine.isyieldable())
local producer
producer = coroutine.create(function()
  for _, code in ipairs{ 200, 201, 404 } do
    local _, c = http.request(base .. "/status/" .. code)
    print("producer", coroutine.status(producer), coroutine.isyieldable(), select(2, coroutine.running()))
    coroutine.yield(c)
  end
  return "done"
end)
local consumer = coroutine.wrap(function()
  while true do
    local ok, v = coroutine.resume(producer)
    print("consumer got", ok, v, coroutine.status(producer))
    if coroutine.status(producer) == "dead" then break end
    local body = http.request(base .. "/anything/" .. tostring(v))
    coroutine.yield(body:match('"url": "([^"]*)"'))
  end
  return "consumer done"
end)
for _ = 1, 4 do print("wrap ->", consumer()) end
-- yield across a request inside nested coroutines
local outer = coroutine.wrap(function()
  local inner = coroutine.wrap(function()
    local _, c = http.request(base .. "/status/202")
    coroutine.yield(c)
    local _, c2 = http.request(base .. "/status/203")
    return c2
  end)
  coroutine.yield(inner())
  return inner()
end)
print(outer(), outer())
