-- A sink gets one string per HTTP chunk, as LuaSocket's chunked source reads them (receive(size)),
-- however the chunks were split across socket reads; a body that ends inside a chunk loses that
-- chunk and fails with "closed".
local http = require("socket.http")
local counting = dofile("test/lua/support/counting-sink.lua")
for _, path in ipairs { "/chunked-split", "/chunked-truncated" } do
  local sink, report = counting()
  local ok, code = http.request { url = arg[2] .. path, sink = sink }
  print(path, ok, code)
  print(report())
end
-- 64 KiB chunks from httpbin, which arrive in several socket reads each
local sink, report = counting()
print((http.request { url = arg[1] .. "/stream-bytes/300000?chunk_size=65536", sink = sink }))
print(report())
-- The same where the script cannot yield: the body comes through the I/O thread's shared ring.
string.gsub("x", "x", function()
  local sink2, report2 = counting()
  print((http.request { url = arg[1] .. "/stream-bytes/3000000?chunk_size=100000", sink = sink2 }))
  print(report2())
end)
