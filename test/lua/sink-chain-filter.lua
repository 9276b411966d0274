-- ltn12.sink.chain(filter, sink): a filter sees each chunk and the final nil.
local http = require("socket.http")
local ltn12 = require("ltn12")
local calls, sawEnd = 0, false
local filter = function(chunk)
  if chunk == nil then sawEnd = true return nil end
  calls = calls + 1
  return (chunk:gsub("%a", string.upper))
end
local t = {}
local r, code = http.request{ url = arg[1] .. "/base64/bG93ZXIgY2FzZSB0ZXh0", sink = ltn12.sink.chain(filter, (ltn12.sink.table(t))) }
print(r, code, table.concat(t), calls > 0, sawEnd)
-- two filters chained with ltn12.filter.chain
local rev = function(chunk) return chunk and chunk:reverse() end
t = {}
r, code = http.request{ url = arg[1] .. "/base64/YWJjZGVm", sink = ltn12.sink.chain(ltn12.filter.chain(filter, rev), (ltn12.sink.table(t))) }
print(r, code, table.concat(t))
-- the classic mistake: sink.table returns (sink, t), so chain() gets t as an extra argument and
-- ends up calling the table
local ok, err = pcall(http.request, { url = arg[1] .. "/base64/YWJj", sink = ltn12.sink.chain(filter, ltn12.sink.table({})) })
print(ok, (tostring(err):match("attempt to call a table value")))
