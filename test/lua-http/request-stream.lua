-- http.request streams: get_body_chars, each_chunk, get_next_chunk, get_body_until,
-- save_body_to_file, get_body_as_file, a chunked body, shutdown before the end.
local request = require "http.request"
local base = arg[1]
local function open(path)
  local h, s = assert(request.new_from_uri(base .. path):go(10))
  return h, s
end
local h, s = open("/bytes/5000?seed=3")
local a = s:get_body_chars(10)
local b = s:get_body_chars(1000)
local rest = s:get_body_chars(100000)
print("chars", #a, #b, #rest, s:get_body_chars(5), s:get_next_chunk())
h, s = open("/stream/4")
print("chunked", h:get("transfer-encoding"), h:get("content-length"))
local n, total, lines = 0, 0, {}
for chunk in s:each_chunk() do
  n = n + 1
  total = total + #chunk
  for line in chunk:gmatch("[^\n]+") do lines[#lines + 1] = line:match('"id": %d+') end
end
print("chunks", n, table.concat(lines, ","))
h, s = open("/html")
print("until", s:get_body_until("<body>", true, false):match("<html>") ~= nil)
print("until incl", (s:get_body_until("</h1>", true, true):gsub("%s+", " ")))
print("until pattern", s:get_body_until("%s*<p>"))
print("until end", #s:get_body_until("never there", true))
h, s = open("/robots.txt")
local name = os.tmpname()
local f = assert(io.open(name, "wb"))
print("save", s:save_body_to_file(f))
f:close()
f = assert(io.open(name, "rb"))
print("saved", f:read("a"))
f:close()
os.remove(name)
h, s = open("/uuid")
local tmp = assert(s:get_body_as_file())
print("as file", io.type(tmp), (tmp:read("a"):gsub("%x", "x")))
h, s = open("/bytes/200000?seed=1")
local first = s:get_body_chars(100)
print("shutdown early", #first, s:shutdown())
h, s = open("/get")
print("get_headers", s:get_headers())
local body = s:get_body_as_string()
print("get_headers at end", s:get_headers(), #body > 0)
-- A chunked body: the (empty) trailers, once, and the body still there.
h, s = open("/stream/2")
print("chunked get_headers", tostring(s:get_headers()))
print("chunked body", select(2, s:get_body_as_string():gsub("\n", "")))
print("chunked get_headers again", s:get_headers())
