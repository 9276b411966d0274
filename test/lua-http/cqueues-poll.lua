-- cqueues.poll in the forms scripts use: poll(seconds) (a sleep that returns the timeout), poll()
-- (a turn for the others), poll(condition, seconds) → the condition when signalled or the timeout,
-- several conditions at once, poll(promise) → the promise once settled; in the main chunk too.
-- Waits are far apart (generous bounds, no timing printed).
local cqueues = require "cqueues"
local condition = require "cqueues.condition"
local promise = require "cqueues.promise"
local request = require "http.request"
local base = arg[1]
local cq = cqueues.new()
local a, b = condition.new(), condition.new()
local function names(...)
  local out = table.pack(...)
  for i = 1, out.n do
    local x = out[i]
    out[i] = x == a and "a" or x == b and "b" or promise.type(x) or tostring(x)
  end
  return out.n, table.concat(out, ",", 1, out.n)
end
print("main chunk sleep", cqueues.poll(0.05))
print("main chunk nothing", select("#", cqueues.poll()))
local log = {}
cq:wrap(function()
  log[#log + 1] = "first"
  print("timeout", names(cqueues.poll(a, 0.1)))
  cq:wrap(function() cqueues.sleep(0.1) log[#log + 1] = "signal b " .. b:signal() end)
  print("b signalled", names(cqueues.poll(a, b, 5)))
  print("number only", names(cqueues.poll(0.05)))
  print("smallest timeout", names(cqueues.poll(a, 5, 0.1)))
  local p = promise.new(function() cqueues.sleep(0.1) return "done" end)
  print("promise", names(cqueues.poll(p, 5)))
  print("settled promise", names(cqueues.poll(p, a, 5)))
  local r = promise.new(function()
    local h = assert(request.new_from_uri(base .. "/delay/0"):go(10))
    return h:get(":status")
  end)
  print("request promise", names(cqueues.poll(r, 10)), r:get())
end)
cq:wrap(function()
  cqueues.poll()
  log[#log + 1] = "after a turn"
end)
print("loop", cq:loop())
print(table.concat(log, "; "))
