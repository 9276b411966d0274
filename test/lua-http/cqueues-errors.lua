-- Failures of wrapped functions as cq:loop/cq:step report them: false, the error value (any type,
-- nil too), nil, the thread; one per call, the other functions going on; cq:errors() as an
-- iterator; a failing function inside a nested controller; cqueues.type; http.request failures
-- raised with assert inside wrapped functions. Failures are 0.2 s apart (generous bounds).
local cqueues = require "cqueues"
local request = require "http.request"
local cq = cqueues.new()
local function report(label, ok, err, errno, thread, ...)
  print(label, ok, type(err) == "table" and "table " .. tostring(err.code) or err, errno, type(thread), select("#", ...))
end
cq:wrap(function() error("plain") end)
report("string", cq:loop())
cq:wrap(function() error("no position", 0) end)
report("level 0", cq:loop())
cq:wrap(function() error({ code = 7 }) end)
report("table", cq:loop())
cq:wrap(function() error() end)
report("nil", cq:loop())
cq:wrap(function() local t = nil; return t.x end)
report("runtime", cq:loop())
cq:wrap(function() cqueues.sleep(0.2); error("after sleep", 0) end)
report("step 0", cq:step(0))
report("step", cq:step(5))
print("count", cq:count(), cq:empty())
for i = 1, 3 do cq:wrap(function() cqueues.sleep(0.2 * i); error("e" .. i, 0) end) end
for err in cq:errors() do print("errors()", err) end
print("after errors()", cq:count())
cq:wrap(function()
  local inner = cqueues.new()
  inner:wrap(function() cqueues.sleep(0.1); error("inner failure", 0) end)
  report("inner loop", inner:loop())
  print("outer running", cqueues.running() == cq)
end)
report("outer", cq:loop())
local done = {}
cq:wrap(function() cqueues.sleep(0.3); done[#done + 1] = "slow one finished" end)
cq:wrap(function() error("fast failure", 0) end)
report("first loop", cq:loop())
print("second loop", cq:loop(), table.concat(done, ","))
report("loop timeout", cq:wrap(function() cqueues.sleep(0.5) end):loop(0.05))
print("count while running", cq:count())
print("drained", cq:loop(), cq:count())
print("type", cqueues.type(cq), cqueues.type(1), cqueues.type(cqueues.new()))
for _ = 1, 2 do cq:wrap(function() assert(request.new_from_uri(arg[3] .. "/"):go(5)) end) end
for k = 1, 3 do
  local ok, err = cq:loop()
  print("refused " .. k, ok, err and (err:gsub("^.-:%d+: ", "")), cq:count())
end
