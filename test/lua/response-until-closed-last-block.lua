-- A body read to the close reaches the sink in LuaSocket's BLOCKSIZE (2048) pieces and ends with the
-- partial block the close left, even an empty one: an empty body, and one exactly one block long,
-- give the sink a last "".
local http = require("socket.http")
local ltn12 = require("ltn12")
for _, path in ipairs { "/close-delimited-empty", "/close-delimited-one-block", "/cl-list-equal" } do
  local t = {}
  local ok, code = http.request { url = arg[2] .. path, sink = ltn12.sink.table(t) }
  local sizes = {}
  for i, piece in ipairs(t) do sizes[i] = #piece end
  print(path, ok, code, #t, table.concat(sizes, ","))
end
