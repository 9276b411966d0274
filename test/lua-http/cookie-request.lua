-- http.request and cookies against httpbin: the shared default store (request.methods.cookie_store)
-- takes Set-Cookie from every response, redirects included, and sends what matches on later requests
-- (appended after a script's own "cookie" field, the request object left unchanged); deletion by
-- Max-Age=0; a request's own store; cookie_store = false turns cookies off; clone and
-- handle_redirect keep the request's store; Path and Max-Age attributes set by the server.
local request = require "http.request"
local cookie = require "http.cookie"
local util = require "http.util"
local base = arg[1]
local function go(label, req)
  local h, s, errno = req:go(10)
  if not h then return print(label, "failed", s, errno) end
  local body = s:get_body_as_string()
  print(label, h:get(":status"), (body:gsub("%s+", " ")))
  return h
end
local default = request.methods.cookie_store
print("default store", getmetatable(default) == cookie.store_mt, default.n_cookies)
-- /cookies/set answers 302 to /cookies with the Set-Cookie fields: the redirect's cookies are sent on the next hop.
go("set", request.new_from_uri(base .. "/cookies/set?first=1&second=two"))
print("stored", default:get("127.0.0.1", "/", "first"), default:get("127.0.0.1", "/", "second"), default.n_cookies)
go("sent later", request.new_from_uri(base .. "/cookies"))
local own = request.new_from_uri(base .. "/cookies")
own.headers:append("cookie", "mine=yes")
go("with own cookie", own)
print("request headers unchanged", own.headers:get("cookie"), select("#", own.headers:get("cookie")))
go("path form", request.new_from_uri(base .. "/cookies/set/third/3"))
go("delete", request.new_from_uri(base .. "/cookies/delete?first"))
print("after delete", default:get("127.0.0.1", "/", "first"), default.n_cookies)
local off = request.new_from_uri(base .. "/cookies")
off.cookie_store = false
go("store off", off)
local mine = request.new_from_uri(base .. "/cookies/set?solo=1")
mine.cookie_store = cookie.new_store()
-- A fixed clock: cookies made in the same second are ordered by name, in different seconds by age.
mine.cookie_store.time = function() return 1600000000 end
go("own store", mine)
print("own store has", mine.cookie_store:get("127.0.0.1", "/", "solo"), "default has", default:get("127.0.0.1", "/", "solo"))
local c = mine:clone()
print("clone keeps store", c.cookie_store == mine.cookie_store, rawget(request.new_from_uri(base):clone(), "cookie_store"))
-- Attributes from the server: a Path cookie is only sent under that path; Max-Age is honoured.
local set = request.new_from_uri(base .. "/response-headers?Set-Cookie=" ..
  util.encodeURIComponent("scoped=1; Path=/anything") .. "&Set-Cookie=" .. util.encodeURIComponent("brief=1; Max-Age=3600"))
set.cookie_store = mine.cookie_store
go("attributes", set)
local function sent(path)
  local r = request.new_from_uri(base .. path)
  r.cookie_store = mine.cookie_store
  local h, s = r:go(10)
  local body = s:get_body_as_string()
  print("cookie header for " .. path, h:get(":status"), body:match('"Cookie": "([^"]*)"'))
end
sent("/anything/x")
sent("/anythingelse")
sent("/headers")
-- Cookies set on the last hop of a redirect chain, and the ones from before, reach its end.
local hop = request.new_from_uri(base .. "/redirect-to?url=" .. util.encodeURIComponent("/cookies/set?hop=1"))
hop.cookie_store = mine.cookie_store
go("redirect chain", hop)
