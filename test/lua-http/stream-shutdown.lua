-- stream:shutdown(): before any of the body was read, part-way, after the end, twice; the
-- reads after it find the body ended; the next request on the same server is unaffected.
local request = require "http.request"
local base = arg[1]
local function open(path)
  local h, s = assert(request.new_from_uri(base .. path):go(10))
  return h, s
end
local h, s = open("/bytes/300000?seed=1")
print("unread", s:shutdown(), s:shutdown())
h, s = open("/drip?duration=4&numbytes=2&delay=0")
print("part read", s:get_next_chunk(5), s:shutdown())
print("read after", s:get_next_chunk(1))
print("as string after", s:get_body_as_string(1))
print("chars after", s:get_body_chars(4, 1))
h, s = open("/get")
local body = s:get_body_as_string()
print("after the end", #body > 0, s:shutdown(), s:get_next_chunk())
h, s = open("/stream/3")
-- (no read after this shutdown: lua-http hands out chunks it had already buffered, so what native
-- prints there depends on how much of /stream/3 arrived before the shutdown)
print("chunked", s:get_next_chunk(5) ~= nil, s:shutdown())
h, s = open("/status/204")
print("no body", h:get(":status"), s:shutdown(), s:get_next_chunk())
h, s = open("/headers")
print("next request", h:get(":status"), s:get_body_as_string():match('"Host": "[^"]*"'))
-- A redirect's own stream is shut down by go(); the final one is the script's.
h, s = open("/redirect/2")
print("redirected", h:get(":status"), s:get_body_as_string():match('"url": "[^"]*"'))
