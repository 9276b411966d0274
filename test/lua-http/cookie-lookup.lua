-- http.cookie lookups: which cookies a request gets and in what order (longer paths first, then
-- older), domain and path matching, host-only cookies, Secure/HttpOnly, SameSite Lax/Strict against
-- site_for_cookies, safe methods and top-level requests, max_cookie_length (lua-http raises once the
-- header would pass it), last_access_time, lookup_for_request from request headers (CONNECT gets none).
local cookie = require "http.cookie"
local http_headers = require "http.headers"
local now = 1600000000
local s = cookie.new_store()
s.time = function() return now end
local function err(...)
  local ok, e = pcall(...)
  -- lua-http raises with its file and line: only the message is compared.
  return ok, (tostring(e):gsub("^.-:%d+: ", ""))
end
local function put(domain, path, name, value, params, secure, site)
  assert(s:store(domain, path, true, secure or false, site, name, value, params or {}))
end
put("example.com", "/", "root", "1")
now = now + 1
put("example.com", "/", "older_wins_tie", "2")
put("example.com", "/", "a_same_time", "3")
put("www.example.com", "/", "www_only", "4")
put("example.com", "/", "dom", "5", { domain = "example.com" })
put("example.com", "/", "deep", "6", { path = "/a/b" })
put("example.com", "/", "deep_slash", "7", { path = "/a/" })
put("example.com", "/", "sec", "8", { secure = true }, true)
put("example.com", "/", "ho", "9", { httponly = true })
put("example.com", "/", "lax", "10", { samesite = "lax" }, false, "example.com")
put("example.com", "/", "strict", "11", { samesite = "strict" }, false, "example.com")
put("127.0.0.1", "/", "ip", "12")
local function lookup(label, domain, path, http, secure, safe, site, top, max)
  print(label, s:lookup(domain, path, http, secure, safe, site, top, max))
end
lookup("root", "example.com", "/", true, false, true, "example.com", true)
lookup("deep path", "example.com", "/a/b/c", true, true, true, "example.com", true)
lookup("path prefix not segment", "example.com", "/a/bc", true, false, true, "example.com", true)
lookup("path exact", "example.com", "/a/b", true, false, true, "example.com", true)
lookup("path dir", "example.com", "/a", true, false, true, "example.com", true)
lookup("subdomain", "www.example.com", "/", true, false, true, "www.example.com", true)
lookup("other sub", "api.example.com", "/", true, false, true, nil, true)
lookup("upper-case host", "EXAMPLE.com", "/", true, false, true, "example.com", true)
lookup("non-http api", "example.com", "/", false, true, true, "example.com", true)
lookup("cross-site safe top", "example.com", "/", true, false, true, "evil.example", true)
lookup("cross-site unsafe", "example.com", "/", true, false, false, "evil.example", true)
lookup("cross-site not top", "example.com", "/", true, false, true, "evil.example", false)
lookup("no site", "example.com", "/", true, false, true, nil, true)
lookup("ip", "127.0.0.1", "/", true, false, true, nil, true)
lookup("ip suffix", "0.0.1", "/", true, false, true, nil, true)
lookup("none", "nothing.example", "/", true, false, true, nil, true)
lookup("fits", "example.com", "/a/b", true, true, true, "example.com", true, 1000)
lookup("exact fit", "127.0.0.1", "/", true, false, true, nil, true, 5)
print("one over", err(s.lookup, s, "127.0.0.1", "/", true, false, true, nil, true, 4))
lookup("zero max, nothing matches", "nothing.example", "/", true, false, true, nil, true, 0)
print("too long", err(s.lookup, s, "example.com", "/a/b", true, false, true, "example.com", true, 10))
print("bad domain", err(s.lookup, s, "a b", "/"))
print("bad max", err(s.lookup, s, "example.com", "/", true, true, true, nil, true, "10"))
print("bad path", err(s.lookup, s, "example.com", nil))
now = now + 5
s:lookup("example.com", "/a/b", true, false, true, "example.com", true)
local by_name = s.domains["example.com"]["/a/b"]
print("last_access_time", by_name.deep.last_access_time - by_name.deep.creation_time)
local function for_request(label, method, scheme, authority, path, host, site, top, max)
  local h = http_headers.new()
  h:append(":method", method)
  if scheme then h:append(":scheme", scheme) end
  if authority then h:append(":authority", authority) end
  if path then h:append(":path", path) end
  print(label, s:lookup_for_request(h, host, site, top, max))
end
for_request("GET", "GET", "http", "example.com", "/a/b", nil, "example.com", true)
for_request("https with port", "GET", "https", "example.com:8443", "/", nil, "example.com", true)
for_request("POST cross-site", "POST", "http", "example.com", "/", nil, "evil.example", true)
for_request("no authority", "GET", "http", nil, "/", "www.example.com", nil, true)
for_request("CONNECT", "CONNECT", nil, "example.com:443", nil, nil, nil, true)
for_request("ipv6 authority", "GET", "http", "[::1]:80", "/", nil, nil, true)
