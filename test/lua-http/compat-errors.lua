-- http.compat.socket failures: connection refused (lua-http's message), TIMEOUT reached while the
-- server delays its head or its body ("timeout"), a connection closed before any response
-- ("closed"), a 304 without Location; TIMEOUT = nil disables the deadline.
local http = require "http.compat.socket"
local ltn12 = require "ltn12"
local base, fault, closed = arg[1], arg[2], arg[3]
print("refused", http.request(closed .. "/"))
print("refused table", http.request { url = closed .. "/", sink = ltn12.sink.null() })
http.TIMEOUT = 1
print("delayed head", http.request(base .. "/delay/5"))
print("stalled head", http.request(fault .. "/stall-head"))
print("stalled body", http.request(fault .. "/stall-body"))
print("stalled body sink", http.request { url = fault .. "/stall-body", sink = ltn12.sink.null() })
print("closed at once", http.request(fault .. "/close-immediately"))
http.TIMEOUT = nil
print("no deadline", (select(2, http.request(base .. "/delay/1"))))
print("304", http.request(base .. "/status/304"))
