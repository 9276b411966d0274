-- http.cookie stores: what store() accepts or ignores (RFC 6265 5.3 and lua-http 0.4's choices):
-- host-only vs Domain cookies, domain matching (IP hosts never suffix-match), default paths, Secure
-- and HttpOnly rules, __Secure-/__Host- prefixes, SameSite with site_for_cookies, Max-Age over
-- Expires, deletion by an expiry in the past, replacement keeping the creation time, the limits
-- (max_cookie_length, max_cookies, max_cookies_per_domain), get/remove/clean and the counters.
local cookie = require "http.cookie"
local now = 1600000000
local s = cookie.new_store()
s.time = function() return now end
local function err(...)
  local ok, e = pcall(...)
  -- lua-http raises with its file and line: only the message is compared.
  return ok, (tostring(e):gsub("^.-:%d+: ", ""))
end
local function store(label, domain, path, http, secure, site, name, value, params)
  print(label, s:store(domain, path, http, secure, site, name, value, params or {}))
end
local function dump()
  local rows = {}
  for domain, by_path in pairs(s.domains) do
    for path, by_name in pairs(by_path) do
      for name, c in pairs(by_name) do
        rows[#rows + 1] = table.concat({ domain, path, name, c.value, tostring(c.host_only), tostring(c.secure_only),
          tostring(c.http_only), tostring(c.persistent), tostring(c.expiry_time), tostring(c.creation_time),
          tostring(c.same_site) }, " ")
      end
    end
  end
  table.sort(rows)
  for _, r in ipairs(rows) do print("", r) end
  local per = {}
  for d, n in pairs(s.n_cookies_per_domain) do per[#per + 1] = d .. "=" .. n end
  table.sort(per)
  print("", "n_cookies", s.n_cookies, table.concat(per, " "), "clean_due", s:clean_due())
end
store("host-only", "Example.COM", "/a/b/c", true, false, nil, "h", "1")
store("domain attr", "www.example.com", "/", true, false, nil, "d", "2", { domain = ".EXAMPLE.com" })
store("domain mismatch", "www.example.com", "/", true, false, nil, "x", "3", { domain = "other.com" })
store("domain suffix not label", "www.example.com", "/", true, false, nil, "x", "3", { domain = "ample.com" })
store("domain is host", "example.com", "/", true, false, nil, "dh", "4", { domain = "example.com" })
store("sub-domain attr", "example.com", "/", true, false, nil, "x", "5", { domain = "www.example.com" })
store("ip host", "127.0.0.1", "/", true, false, nil, "ip", "6", { domain = "127.0.0.1" })
store("ip suffix", "10.0.0.1", "/", true, false, nil, "x", "7", { domain = "0.0.1" })
store("non-ascii domain", "example.com", "/", true, false, nil, "x", "8", { domain = "exämple.com" })
store("blank in domain", "example.com", "/", true, false, nil, "x", "8", { domain = "a b.com" })
print("bad request domain", err(s.store, s, "exa mple.com", "/", true, false, nil, "x", "9", {}))
print("bad types", err(s.store, s, "example.com", "/", true, false, nil, "x", 9, {}))
store("default path", "p.example", "/dir/sub/page?q=/x", true, false, nil, "p1", "1")
store("default path root", "p.example", "/page", true, false, nil, "p2", "2")
store("default path no slash", "p.example", "page", true, false, nil, "p3", "3")
store("default path query slash", "p.example", "/a?x/y", true, false, nil, "p4", "4")
store("relative path attr", "p.example", "/dir/page", true, false, nil, "p5", "5", { path = "rel" })
store("path attr", "p.example", "/", true, false, nil, "p6", "6", { path = "/Some/Path/" })
store("secure over http", "s.example", "/", true, false, nil, "s1", "1", { secure = true })
store("secure over https", "s.example", "/", true, true, nil, "s1", "1", { secure = true })
store("shadow secure", "s.example", "/", true, false, nil, "s1", "2")
store("shadow secure other path", "s.example", "/", true, false, nil, "s1", "2", { path = "/deeper" })
store("shadow from https", "s.example", "/", true, true, nil, "s1", "3")
store("httponly from script", "s.example", "/", false, false, nil, "ho", "1", { httponly = true })
store("httponly from http", "s.example", "/", true, false, nil, "ho", "1", { httponly = true })
store("script overwrites httponly", "s.example", "/", false, false, nil, "ho", "2")
store("__Secure- insecure", "s.example", "/", true, true, nil, "__Secure-a", "1")
store("__Secure- secure", "s.example", "/", true, true, nil, "__Secure-a", "1", { secure = true })
store("__Host- with domain", "s.example", "/", true, true, nil, "__Host-a", "1", { secure = true, domain = "s.example" })
store("__Host- no path", "s.example", "/x/y", true, true, nil, "__Host-b", "1", { secure = true })
store("__Host- ok", "s.example", "/x/y", true, true, nil, "__Host-b", "1", { secure = true, path = "/" })
store("samesite cross-site", "ss.example", "/", true, false, "other.example", "l", "1", { samesite = "Lax" })
store("samesite no site", "ss.example", "/", true, false, nil, "l", "1", { samesite = "Lax" })
store("samesite same site", "ss.example", "/", true, false, "ss.example", "l", "1", { samesite = "LAX" })
store("samesite strict", "ss.example", "/", true, false, "ss.example", "st", "1", { samesite = "Strict" })
store("samesite other value", "ss.example", "/", true, false, "x", "none", "1", { samesite = "None" })
dump()
s = cookie.new_store()
s.time = function() return now end
store("max-age", "t.example", "/", true, false, nil, "ma", "1", { ["max-age"] = "60" })
store("max-age wins", "t.example", "/", true, false, nil, "both", "1", { ["max-age"] = "120", expires = "Sun, 06 Nov 1994 08:49:37 GMT" })
store("max-age bad, expires used", "t.example", "/", true, false, nil, "badma", "1", { ["max-age"] = "1e3", expires = "Sun, 06 Nov 2050 08:49:37 GMT" })
store("expires other format", "t.example", "/", true, false, nil, "exp2", "1", { expires = "Sunday, 06-Nov-50 08:49:37 GMT" })
store("expires past", "t.example", "/", true, false, nil, "old", "1", { expires = "Sun, 06 Nov 1994 08:49:37 GMT" })
store("max-age negative", "t.example", "/", true, false, nil, "neg", "1", { ["max-age"] = "-5" })
store("max-age +5", "t.example", "/", true, false, nil, "plus", "1", { ["max-age"] = "+5" })
dump()
now = now + 10
store("replace keeps creation", "t.example", "/", true, false, nil, "ma", "2", { ["max-age"] = "100" })
store("delete by max-age 0", "t.example", "/", true, false, nil, "both", "x", { ["max-age"] = "0" })
dump()
now = now + 101
print("get after expiry", s:get("t.example", "/", "ma"), s:get("t.example", "/", "badma"))
dump()
print("clean", s:clean())
s = cookie.new_store()
s.time = function() return now end
s.max_cookie_length = 5
store("length 5", "l.example", "/", true, false, nil, "ab", "cd")
store("length 6", "l.example", "/", true, false, nil, "ab", "cde")
s.max_cookie_length = nil
s.max_cookies = 2
store("max 1", "l.example", "/", true, false, nil, "c1", "1")
store("max 2 (full)", "l.example", "/", true, false, nil, "c2", "1")
store("replace when full", "l.example", "/", true, false, nil, "ab", "zz")
s.max_cookies = nil
s.max_cookies_per_domain = 2
store("per domain 1", "m.example", "/", true, false, nil, "m1", "1")
store("per domain 2", "m.example", "/", true, false, nil, "m2", "1")
store("per domain 3", "m.example", "/", true, false, nil, "m3", "1")
s.max_cookies_per_domain = 0
store("per domain 0", "n.example", "/", true, false, nil, "n1", "1")
s.max_cookies_per_domain = nil
dump()
s:remove("m.example", "/", "m2")
s:remove("m.example", "/", "nope")
s:remove("nope.example")
dump()
s:remove("l.example", "/")
s:remove("m.example")
dump()
print("remove bad", err(s.remove, s, "m.example", nil, "x"))
print("get bad", err(s.get, s, "m.example", "/"))
print("defaults", cookie.store_methods.max_cookies, cookie.store_methods.psl, type(cookie.store_methods.time()), getmetatable(s) == cookie.store_mt, cookie.store_mt.__name)
