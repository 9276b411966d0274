-- Responses that break HTTP as lua-http reports them: status lines that are not
-- "HTTP/1.x NNN reason" (nil, "read_status_line: …", 84), broken or cut chunked bodies
-- ("read_body_chunk: …", 84), a connection closed before any answer (Broken pipe, 32); a body cut
-- short of its Content-Length ends where the data ends, without an error; odd but valid heads.
local request = require "http.request"
local fault = arg[2]
local function try(path)
  local h, s, errno = request.new_from_uri(fault .. path):go(5)
  if not h then return print(path, h, s, errno) end
  local fields = {}
  for name, value in h:each() do fields[#fields + 1] = name .. "=" .. value end
  print(path, table.concat(fields, " "))
  print("", s:get_body_as_string(5))
end
for _, path in ipairs {
  "/http09", "/no-reason", "/close-immediately", "/bad-chunk", "/chunked-truncated",
  "/truncated", "/stall-body-then-close?ms=200", "/continue-then-truncated",
  "/http10", "/close-delimited", "/lower-reason", "/empty-reason", "/latin1-reason", "/status-split",
  "/empty-204", "/304", "/continue-then-ok", "/early-hints-then-ok", "/dup-headers", "/folded", "/trailers",
} do
  try(path)
end
-- After a failed body read the stream keeps answering the same error.
local h, s = request.new_from_uri(fault .. "/bad-chunk"):go(5)
print("again", s:get_next_chunk(1))
print("again", s:get_next_chunk(1))
