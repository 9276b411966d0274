-- http.request redirects against httpbin: followed (Referer added), relative and absolute, the
-- max_redirects limit, follow_redirects = false, 304 without Location, POST after 302/303/307.
local request = require "http.request"
local base = arg[1]
local function show(label, req)
  local h, s, errno = req:go(10)
  if not h then return print(label, "failed", s, errno) end
  print(label, h:get(":status"), h:get("location"), s:get_body_as_string())
end
show("redirect/2", request.new_from_uri(base .. "/redirect/2"))
show("relative", request.new_from_uri(base .. "/relative-redirect/2"))
show("absolute", request.new_from_uri(base .. "/absolute-redirect/1"))
show("redirect-to", request.new_from_uri(base .. "/redirect-to?url=" .. require("http.util").encodeURIComponent("/get?from=redirect")))
show("redirect/6", request.new_from_uri(base .. "/redirect/6"))
local r = request.new_from_uri(base .. "/redirect/3")
r.max_redirects = 2
show("max 2", r)
r = request.new_from_uri(base .. "/redirect/3")
r.max_redirects = 3
show("max 3", r)
r = request.new_from_uri(base .. "/redirect/1")
r.follow_redirects = false
local h, s = r:go(10)
print("not followed", h:get(":status"), h:get("location"))
s:shutdown()
show("304", request.new_from_uri(base .. "/status/304"))
r = request.new_from_uri(base .. "/status/304")
r.follow_redirects = false
h, s = r:go(10)
print("304 not followed", h:get(":status"), s:get_next_chunk())
for _, code in ipairs { "302", "303", "307" } do
  r = request.new_from_uri(base .. "/redirect-to?url=/anything&status_code=" .. code)
  r.headers:upsert(":method", "POST")
  r.headers:upsert("content-type", "text/plain")
  r:set_body("posted")
  show("POST " .. code, r)
end
r = request.new_from_uri(base .. "/redirect-to?url=/anything&status_code=302")
r.headers:upsert(":method", "POST")
r:set_body("kept")
r.post302 = true
show("POST 302 post302", r)
