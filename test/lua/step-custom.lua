-- A custom step function is used to pump the body (and the request source).
local http = require("socket.http")
local ltn12 = require("ltn12")
local steps = 0
local step = function(src, snk)
  steps = steps + 1
  return ltn12.pump.step(src, snk)
end
local t = {}
local r, code = http.request{ url = arg[1] .. "/bytes/6000?seed=5", sink = ltn12.sink.table(t), step = step }
print(r, code, #table.concat(t), steps)
steps = 0
t = {}
r, code = http.request{ url = arg[1] .. "/post", method = "POST", sink = ltn12.sink.table(t), step = step,
  headers = { ["content-length"] = 5000, ["content-type"] = "application/octet-stream" },
  source = ltn12.source.string(string.rep("s", 5000)) }
print(r, code, steps)
-- a step that fails
print(http.request{ url = arg[1] .. "/get", sink = ltn12.sink.null(), step = function() return nil, "step says no" end })
