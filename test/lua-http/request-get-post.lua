-- http.request against httpbin: GET, HEAD, status codes, POST bodies from a string, a function and
-- a file; response headers (":status" a string), binary bodies.
local request = require "http.request"
local base = arg[1]
local function go(req)
  local headers, stream, errno = req:go(10)
  if not headers then return print("go failed", stream, errno) end
  return headers, stream
end
local h, s = go(request.new_from_uri(base .. "/get?a=1&b=%41"))
print("status", type(h:get(":status")), h:get(":status"), h:get("content-type"), h:has("date"))
print("first header", h:geti(1))
print(s:get_body_as_string())
print("after end", s:get_next_chunk())
local r = request.new_from_uri(base .. "/headers")
r.headers:upsert("x-custom", "one")
r.headers:append("x-multi", "a")
r.headers:append("x-multi", "b")
r.headers:upsert("user-agent", "script/1.0")
h, s = go(r)
print(h:get(":status"), s:get_body_as_string())
r = request.new_from_uri(base .. "/get")
r.headers:upsert(":method", "HEAD")
h, s = go(r)
print("HEAD", h:get(":status"), h:get("content-type"), s:get_next_chunk())
for _, code in ipairs { "204", "404", "418", "500", "201" } do
  h, s = go(request.new_from_uri(base .. "/status/" .. code))
  local body = s:get_body_as_string()
  print("status", code, h:get(":status"), #body, body:match("^[^\n]*"))
end
r = request.new_from_uri(base .. "/post")
r.headers:upsert(":method", "POST")
r.headers:upsert("content-type", "application/json")
r:set_body('{"k": "v", "n": 1}')
h, s = go(r)
print("POST string", h:get(":status"), s:get_body_as_string())
r = request.new_from_uri(base .. "/put")
r.headers:upsert(":method", "PUT")
local pieces = { "alpha,", "beta,", "gamma" }
local i = 0
r:set_body(function() i = i + 1; return pieces[i] end)
r.headers:delete("expect") -- a function body waits for 100 Continue in lua-http otherwise
h, s = go(r)
print("PUT function", h:get(":status"), s:get_body_as_string())
local name = os.tmpname()
local f = assert(io.open(name, "w+b"))
f:write("file body\0with a NUL\n")
r = request.new_from_uri(base .. "/anything/file")
r.headers:upsert(":method", "PATCH")
r:set_body(f)
r.headers:delete("expect")
h, s = go(r)
print("PATCH file", h:get(":status"), s:get_body_as_string())
f:close()
os.remove(name)
h, s = go(request.new_from_uri(base .. "/bytes/3000?seed=7"))
local bytes = s:get_body_as_string()
local sum = 0
for k = 1, #bytes do sum = (sum * 31 + bytes:byte(k)) % 4294967296 end
print("binary", h:get(":status"), h:get("content-type"), #bytes, sum)
h, s = go(request.new_from_uri(base .. "/base64/AAEC/wD+"))
print("base64", #s:get_body_as_string())
