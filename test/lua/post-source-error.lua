-- An error source aborts the request with the source's message.
local http = require("socket.http")
local ltn12 = require("ltn12")
print(http.request{ url = arg[1] .. "/post", method = "POST", source = ltn12.source.error("source exploded") })
print(http.request{ url = arg[1] .. "/post", method = "POST", headers = { ["content-length"] = 10 },
  source = ltn12.source.error("with length") })
-- a source that fails after the first chunk
local n = 0
local src = function()
  n = n + 1
  if n == 1 then return "first" end
  return nil, "second chunk failed"
end
print(http.request{ url = arg[2] .. "/capture", method = "POST", source = src })
