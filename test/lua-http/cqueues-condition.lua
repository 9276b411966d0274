-- cqueues.condition between functions of a controller: wait with and without a timeout, signal(n)
-- and signal() (how many it woke), a lifo condition, a request's result handed over through a
-- condition, and the error a wait in the main chunk gives. Sleeps are far apart (generous bounds).
local cqueues = require "cqueues"
local condition = require "cqueues.condition"
local request = require "http.request"
local base = arg[1]
local cq = cqueues.new()
local cond = condition.new()
print("type", condition.type(cond), condition.type({}), condition.type(nil))
print("no waiters", cond:signal(), cond:signal(3))
local log = {}
local function note(s) log[#log + 1] = s end
for i = 1, 3 do
  -- Started newest first; each waits in turn, 0.1 s apart.
  cq:wrap(function()
    cqueues.sleep(0.1 * i)
    local r = table.pack(cond:wait(5))
    note("w" .. i .. "=" .. tostring(r[1]) .. "/" .. r.n)
  end)
end
cq:wrap(function()
  cqueues.sleep(0.6)
  note("signal(1)=" .. cond:signal(1))
  cqueues.sleep(0.3)
  note("signal()=" .. cond:signal())
end)
print("loop", cq:loop())
print(table.concat(log, " "))
log = {}
cq:wrap(function()
  local r = table.pack(cond:wait(0.1))
  note("timeout=" .. tostring(r[1]) .. "," .. tostring(r[2]) .. "/" .. r.n)
  r = table.pack(cond:wait(cond, 0.1))
  note("with cond=" .. tostring(r[1]) .. "," .. tostring(r[2]))
end)
print("loop", cq:loop())
print(table.concat(log, " "))
-- LIFO: the newest waiter is woken first.
local lifo = condition.new(true)
log = {}
for i = 1, 3 do
  cq:wrap(function()
    cqueues.sleep(0.1 * i)
    lifo:wait()
    note("l" .. i)
  end)
end
cq:wrap(function()
  cqueues.sleep(0.6)
  lifo:signal(1)
  cqueues.sleep(0.3)
  lifo:signal(1)
  cqueues.sleep(0.3)
  lifo:signal(1)
end)
print("loop", cq:loop())
print("lifo order", table.concat(log, " "))
-- A producer hands a response to a consumer.
local ready = condition.new()
local status
cq:wrap(function()
  ready:wait(10)
  print("consumer got", status)
end)
cq:wrap(function()
  local h = assert(request.new_from_uri(base .. "/status/201"):go(10))
  status = h:get(":status")
  ready:signal()
end)
print("loop", cq:loop())
print("main chunk", pcall(cond.wait, cond, 0.01))
