-- A sink error aborts the request and its message comes back verbatim as the 2nd value.
local http = require("socket.http")
local ltn12 = require("ltn12")
print(http.request{ url = arg[1] .. "/get", sink = ltn12.sink.error("boom") })
-- a sink that fails on the second chunk of a big body
local n = 0
local sink = function(chunk, err)
  if chunk == nil then return 1 end
  n = n + 1
  if n == 2 then return nil, "sink full after " .. n .. " chunks" end
  return 1
end
print(http.request{ url = arg[1] .. "/bytes/10000?seed=3", sink = sink })
-- a sink returning 0 (truthy) keeps going
local total = 0
print(http.request{ url = arg[1] .. "/bytes/5000?seed=4", sink = function(c) if c then total = total + #c end return 0 end }, total)
