-- cqueues as lua-http scripts use it to fan out: wrap queues (the newest starts first), loop runs
-- everything, step, count/empty, sleep lets the others run, running() inside and outside, a failure
-- ends loop with false, message, nil, thread and the rest finish at the next loop.
local cqueues = require "cqueues"
print("monotime", math.type(cqueues.monotime()) or type(cqueues.monotime()), cqueues.monotime() <= cqueues.monotime())
print("running outside", cqueues.running())
print("running in a coroutine", coroutine.wrap(function() return cqueues.running() end)())
local cq = cqueues.new()
print("new", cq:count(), cq:empty())
local log = {}
print("wrap returns cq", cq:wrap(function(a, b) log[#log + 1] = "1" .. a .. b end, "x", "y") == cq)
cq:wrap(function() log[#log + 1] = "2" end)
cq:wrap(function()
  log[#log + 1] = "3"
  local c, inside = cqueues.running()
  log[#log + 1] = tostring(c == cq) .. "/" .. tostring(inside)
  cq:wrap(function() log[#log + 1] = "inner" end)
end)
print("queued, nothing run", #log, cq:count(), cq:empty())
print("loop", cq:loop())
print("order", table.concat(log, ","), cq:count(), cq:empty())
log = {}
for i = 1, 4 do
  cq:wrap(function()
    cqueues.sleep(0.15 * (5 - i))
    log[#log + 1] = i
  end)
end
print("loop sleepers", cq:loop(), table.concat(log, ","))
log = {}
cq:wrap(function() cqueues.sleep(0.3); log[#log + 1] = "slow" end)
print("step(0)", cq:step(0), cq:count())
local steps = 0
while not cq:empty() do
  steps = steps + 1
  assert(cq:step())
end
print("stepped", steps > 0, table.concat(log, ","))
cq:wrap(function() cqueues.sleep(0.4) end)
print("loop with timeout", cq:loop(0.05), cq:count())
print("loop again", cq:loop(), cq:count())
log = {}
cq:wrap(function() cqueues.sleep(0.2); log[#log + 1] = "after" end)
cq:wrap(function() error("first failure") end)
local ok, err, errno, thread = cq:loop()
print("failure", ok, (tostring(err):gsub("^.-:%d+: ", "")), errno, type(thread), cq:count())
print("then", cq:loop(), cq:count(), table.concat(log, ","))
cq:wrap(function() error({ code = 7 }) end)
ok, err = cq:loop()
print("table error", ok, type(err), err.code)
print("sleep outside", cqueues.sleep(0.01))
