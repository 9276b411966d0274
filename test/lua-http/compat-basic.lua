-- http.compat.socket, the string forms: request(url) -> body, code (a number), headers (lower-case
-- names, repeated fields joined by ","), reason phrase (bare, from lua-http's table); request(url,
-- body) POSTs as a form; module fields; status codes without a body, odd statuses, redirects followed.
local http = require "http.compat.socket"
local base = arg[1]
print("fields", http.USERAGENT, http.TIMEOUT, http.PROXY)
local function keys(h)
  local list = {}
  for k, v in pairs(h) do list[#list + 1] = k .. "=" .. v end
  table.sort(list)
  return table.concat(list, " | ")
end
local body, code, headers, reason = http.request(base .. "/get?x=1&y=%20")
print("get", math.type(code), code, reason, headers["content-type"], #body > 0)
print("get body", (body:gsub("%s+", " ")))
body, code, headers, reason = http.request(base .. "/post", "a=1&b=%C3%A9")
print("post", code, reason, (body:match('"form": {[^}]*}'):gsub("%s+", " ")), body:match('"Content%-Type": "[^"]*"'), body:match('"Content%-Length": "[^"]*"'))
body, code, headers, reason = http.request(base .. "/response-headers?X-Multi=1&X-Multi=2&Set-Cookie=a%3D1&Set-Cookie=b%3D2")
print("repeated", code, headers["x-multi"], headers["set-cookie"], headers["content-length"])
print("header names", keys(headers))
-- A 304 is a redirect to http.request (any 3xx), one without a Location fails.
print("status 304", http.request(base .. "/status/304"))
for _, status in ipairs { 200, 201, 204, 404, 418, 451, 500, 599, 299 } do
  body, code, headers, reason = http.request(base .. "/status/" .. status)
  print("status", status, code, reason, #body)
end
body, code, headers, reason = http.request(base .. "/redirect/2")
print("redirected", code, reason, body:match('"url": "[^"]*"'))
body, code, headers, reason = http.request(base .. "/redirect/9")
print("too many redirects", body, code, headers, reason)
body, code, headers, reason = http.request(base .. "/bytes/300?seed=1")
print("binary", code, #body, headers["content-type"])
body, code = http.request(base .. "/stream-bytes/5000?chunk_size=700&seed=2")
print("chunked", code, #body)
body, code, headers = http.request(base .. "/encoding/utf8")
print("utf8", code, #body, headers["content-type"])
body, code, headers = http.request(base .. "/anything/%7euser?q=%41")
print("escapes", code, body:match('"url": "[^"]*"'))
