-- cqueues.promise: new() settled by set, new(f, ...) running f as a function of the controller,
-- get (values, the error raised again, nothing while pending after a timeout), wait, status,
-- tostring and call, setting twice; promises of http.request results fanned out under cq:wrap.
local cqueues = require "cqueues"
local promise = require "cqueues.promise"
local request = require "http.request"
local base = arg[1]
local cq = cqueues.new()
local p = promise.new()
print("new", p:status(), promise.type(p), promise.type({}))
cq:wrap(function()
  cqueues.sleep(0.1)
  print("set", select("#", p:set(true, "a", nil, "c")))
end)
cq:wrap(function()
  print("get waits", p:get(5))
  print("status", p:status())
end)
print("loop", cq:loop())
print("get again", p:get())
print("set twice", pcall(p.set, p, true, 1))
local rejected = promise.new()
rejected:set(false, "boom")
print("rejected", rejected:status(), pcall(rejected.get, rejected))
local tbl = promise.new()
tbl:set(false, { code = 7 })
local ok, e = pcall(tbl.get, tbl)
print("error object", ok, type(e), e.code)
cq:wrap(function()
  local doubled = promise.new(function(x) cqueues.sleep(0.1) return x * 2 end, 21)
  print("running", doubled:status())
  print("wait", doubled:wait(5) == doubled, doubled:get(), doubled:status())
  print("call and tostring", doubled(), tostring(doubled))
  local failing = promise.new(function() error("bad", 0) end)
  print("failing", pcall(failing.get, failing, 5))
  print("failing status", failing:status(), failing.reason)
  local slow = promise.new(function() cqueues.sleep(2) return "late" end)
  print("get timeout", select("#", slow:get(0.1)), slow:status())
  print("wait timeout", slow:wait(0.1))
  print("later", slow:get(5))
end)
print("loop", cq:loop())
-- Promises for several requests at once.
cq:wrap(function()
  local ps = {}
  for i = 1, 4 do
    ps[i] = promise.new(function(n)
      local h, s = assert(request.new_from_uri(base .. "/get?n=" .. n):go(10))
      return h:get(":status"), s:get_body_as_string():match('"n": "(%d+)"')
    end, i)
  end
  for i = 1, 4 do print("request " .. i, ps[i]:get(10)) end
  local bad = promise.new(function() return assert(request.new_from_uri(arg[3] .. "/"):go(5)) end)
  print("refused", pcall(bad.get, bad, 10))
end)
print("loop", cq:loop())
-- The message names the module's own file and line: only the text after them is compared.
local ok2, err2 = pcall(promise.new, function() end)
print("new(f) outside a controller", ok2, (err2:gsub("^.-:%d+: ", "")))
