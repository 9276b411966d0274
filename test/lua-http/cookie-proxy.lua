-- Cookies through an http proxy: lua-http hands the cookie store the request headers it sent, whose
-- :path is then the absolute URL, so a cookie without a Path attribute gets the default path "/"
-- (not the request's directory, as without a proxy); cookies are still looked up by the origin
-- server's host and path. Ports change every run: they are not printed.
local request = require "http.request"
local cookie = require "http.cookie"
local util = require "http.util"
local twin, proxy = arg[11], arg[14]
local store = cookie.new_store()
-- A fixed clock: cookies made in the same second are ordered by name, in different seconds by age.
store.time = function() return 1600000000 end
local function go(label, path, via)
  local r = request.new_from_uri(twin .. path)
  r.cookie_store = store
  r.proxy = via or false
  local h, s, errno = r:go(10)
  if not h then return print(label, nil, s, errno) end
  local body = s:get_body_as_string()
  print(label, h:get(":status"), body:match("\ncookie: ([^\n]*)"))
end
go("set via proxy", "/deep/dir/set-cookie?c=" .. util.encodeURIComponent("viaproxy=1"), proxy)
go("set direct", "/deep/dir/set-cookie?c=" .. util.encodeURIComponent("direct=1"))
go("set via proxy with Path", "/deep/dir/set-cookie?c=" .. util.encodeURIComponent("pathed=1; Path=/deep"), proxy)
print("paths", store:get("127.0.0.1", "/", "viaproxy"), store:get("127.0.0.1", "/deep/dir", "direct"), store:get("127.0.0.1", "/deep", "pathed"))
go("echo direct", "/echo")
go("echo via proxy", "/echo", proxy)
go("deep echo via proxy", "/deep/dir/echo", proxy)
go("deep echo direct", "/deep/dir/echo")
