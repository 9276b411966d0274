-- Secure cookies with http.request over TLS and plain HTTP to the same host (cookies ignore ports):
-- a Secure cookie set over https is sent over https only; an http response can neither set a Secure
-- cookie nor shadow a secure one of the same name; __Host-/__Secure- cookies need https; a redirect
-- from https to http drops the secure ones on the http hop. The TLS server's plain twin is reached as
-- "localhost" so both servers share the cookies. Ports change every run: they are not printed.
local request = require "http.request"
local http_tls = require "http.tls"
local cookie = require "http.cookie"
local util = require "http.util"
local good, twin, cafile = arg[6], arg[11], arg[12]
local plain = "http://localhost:" .. twin:match(":(%d+)$")
local ctx = http_tls.new_client_context()
ctx:getStore():add(cafile)
local store = cookie.new_store()
-- A fixed clock: cookies made in the same second are ordered by name, in different seconds by age.
store.time = function() return 1600000000 end
local function go(label, url)
  local r = request.new_from_uri(url)
  r.ctx = ctx
  r.cookie_store = store
  local h, s, errno = r:go(10)
  if not h then return print(label, nil, s, errno) end
  local body = s:get_body_as_string()
  local cookies = body:match("\ncookie: ([^\n]*)")
  print(label, h:get(":status"), r.tls, cookies)
end
local function set(label, base, ...)
  local q = {}
  for i, c in ipairs { ... } do q[i] = "c=" .. util.encodeURIComponent(c) end
  go(label, base .. "/set-cookie?" .. table.concat(q, "&"))
end
set("set over https", good, "sec=1; Secure", "plain=2", "__Host-h=3; Secure; Path=/", "__Secure-s=4; Secure", "__Host-bad=5; Path=/")
go("echo https", good .. "/echo")
go("echo http", plain .. "/echo")
set("set over http", plain, "sec=shadow", "ins=1; Secure", "__Secure-x=1; Secure", "plain=22", "fresh=6")
go("echo https after", good .. "/echo")
go("echo http after", plain .. "/echo")
go("https to http", good .. "/redirect-http?to=" .. util.encodeURIComponent(plain .. "/echo"))
print("store", store:get("localhost", "/", "sec"), store:get("localhost", "/", "ins"), store:get("localhost", "/", "plain"), store.n_cookies)
