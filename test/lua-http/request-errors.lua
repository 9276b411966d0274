-- http.request failures in lua-http's form (nil, message, errno): connection refused, a timeout
-- while the server delays, a redirect loop past max_redirects.
local request = require "http.request"
local base, closed = arg[1], arg[3]
print("refused", request.new_from_uri(closed .. "/"):go(5))
print("timeout", request.new_from_uri(base .. "/delay/3"):go(0.5))
print("in time", (request.new_from_uri(base .. "/delay/0"):go(10)):get(":status"))
print("loop", request.new_from_uri(base .. "/redirect/9"):go(10))
local r = request.new_from_uri(base .. "/redirect/1")
r.max_redirects = 0
print("max 0", r:go(10))
