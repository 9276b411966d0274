-- The chunk sizes a sink sees: LuaSocket delivers a content-length body in ltn12.BLOCKSIZE (2048)
-- pieces and a chunked body one HTTP chunk at a time; then a final nil.
local http = require("socket.http")
local ltn12 = require("ltn12")
local function counting()
  local sizes, ends = {}, 0
  return function(chunk)
    if chunk == nil then ends = ends + 1 else sizes[#sizes + 1] = #chunk end
    return 1
  end, function() return table.concat(sizes, ","), ends end
end
local sink, report = counting()
print((http.request{ url = arg[1] .. "/bytes/5000?seed=2", sink = sink }))
print(report())
sink, report = counting()
print((http.request{ url = arg[2] .. "/chunked", sink = sink }))
print(report())
sink, report = counting()
print((http.request{ url = arg[2] .. "/close-delimited", sink = sink }))
print(report())
