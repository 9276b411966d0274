-- The method is sent verbatim (lowercase stays lowercase); the uri field bypasses URL building;
-- the fragment is sent; "" method means GET.
local http = require("socket.http")
local ltn12 = require("ltn12")
local function first(url, extra)
  local t = {}
  local req = { url = url, sink = ltn12.sink.table(t) }
  for k, v in pairs(extra or {}) do req[k] = v end
  local r, code = http.request(req)
  print(r, code, (table.concat(t):match("^[^\r\n]*")))
end
first(arg[2] .. "/capture", { method = "PATCH" })
first(arg[2] .. "/capture", { method = "OPTIONS" })
first(arg[2] .. "/capture", { method = "post" })
first(arg[2] .. "/capture?a=1&b=%20#frag")
first(arg[2] .. "/capture", { uri = "/capture?verbatim=1" })
first(arg[2] .. "/capture;p=1?q=2")
first(arg[2] .. "/capture", { method = "" })
