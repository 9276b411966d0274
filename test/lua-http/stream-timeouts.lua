-- Per-call timeouts of stream methods: a read that runs out of time answers
-- nil, "read: Connection timed out", 110 and the stream goes on (the next call gets the byte that
-- arrives later). /drip sends a byte at once and the others 2 seconds apart; the short waits here
-- add up to 1 second at most, the long ones are 5 seconds (generous bounds, no timing is printed).
local request = require "http.request"
local base = arg[1]
local function drip(n)
  local h, s = assert(request.new_from_uri(base .. "/drip?duration=" .. 2 * n .. "&numbytes=" .. n .. "&delay=0"):go(10))
  return h, s
end
local h, s = drip(3)
print("status", h:get(":status"), h:get("content-length"))
print("first piece", s:get_next_chunk(5))
print("get_next_chunk", s:get_next_chunk(0.2))
print("get_body_as_string", s:get_body_as_string(0.2))
print("get_body_chars", s:get_body_chars(2, 0.2))
print("get_body_until", s:get_body_until("x", true, false, 0.2))
print("get_headers", s:get_headers(0.2))
print("later byte", s:get_body_chars(1, 5))
print("rest", s:get_body_as_string(5))
print("at end", s:get_next_chunk(0.2))
h, s = drip(2)
local f = io.tmpfile()
print("save_body_to_file", s:save_body_to_file(f, 0.2))
print("then save", s:save_body_to_file(f, 5))
f:seek("set")
print("saved", f:read("a"))
h, s = drip(2)
print("get_body_as_file", s:get_body_as_file(0.2))
print("get_headers waits for the end", s:get_headers(5))
print("body after get_headers", s:get_body_as_string(0))
-- A zero timeout: only what has arrived.
h, s = drip(2)
print("timeout 0", s:get_body_chars(1, 5), s:get_next_chunk(0))
print("shutdown with a read in flight", s:shutdown(), s:get_next_chunk(1))
