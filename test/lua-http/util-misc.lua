-- http.util: paths, authorities, IP checks, safe methods, dates, quoting; http.version.
local util = require "http.util"
local version = require "http.version"
print("version", version.name, version.version)
local paths = {
  { "/a/b/c", "d" }, { "/a/b/c", "../d" }, { "/a/b/c", "../../../../d" }, { "/a/b/", "./d/" },
  { "a/b", "c" }, { "/a/b", "/x/../y" }, { "/", ".." }, { "/a/b", "" }, { "/a//b/c", "d" },
  { "a", "../.." }, { "/a/b/c", "." }, { "/a/b/c", "./" }, { "", "x/" }, { "/a/b", "/" },
}
for _, p in ipairs(paths) do print("resolve", p[1], p[2], util.resolve_relative_path(p[1], p[2])) end
for _, m in ipairs { "GET", "HEAD", "OPTIONS", "TRACE", "POST", "get", "PUT", "DELETE" } do
  print("safe", m, util.is_safe_method(m))
end
local ips = {
  "127.0.0.1", "0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3", "01.2.3.4", "001.2.3.4", "1.2.3.4.",
  "099.1.1.1", "249.250.251.252", "1.2.3.04", "a.b.c.d", "::", "::1", "1::", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8",
  "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:1.2.3.4", "1::2:3:4:5:6:7", "1:::2", "12345::", "fe80::1%eth0", "fe80::1%",
  "1.2.3.4%eth0", "::1.2.3.4", "1:2:3:4:5:6:7::", ":1", "1:", "g::1", "[::1]", "localhost", "", "::1:2.3.4.5",
  "1::2:3.4.5.6", "1:2:3:4:5:6:7:1.2.3.4", "ABCD:ef01::", "1::2::3",
}
for _, ip in ipairs(ips) do print("is_ip", ip, util.is_ip(ip)) end
print("scheme_to_port", util.scheme_to_port.http, util.scheme_to_port.https, util.scheme_to_port.ws, util.scheme_to_port.wss, util.scheme_to_port.ftp)
local auths = {
  { "example.com", "http" }, { "example.com", "https" }, { "example.com:8080", "http" }, { "example.com", "ftp" },
  { "[::1]:443", "https" }, { "[::1]", "http" }, { " host:1 ", "http" }, { "host:", "ws" }, { "a:b", "wss" },
  { "::1", "http" }, { "1.2.3.4:99999", "http" },
}
for _, a in ipairs(auths) do print("split_authority", a[1], a[2], util.split_authority(a[1], a[2])) end
local tos = {
  { "example.com", 80, "http" }, { "example.com", 443, "http" }, { "example.com", 443, "https" },
  { "::1", 8080, "http" }, { "::1", 80, "http" }, { "fe80::1", nil, "https" }, { "h", 1, "ftp" }, { "h", nil, "ftp" },
  { "1.2.3.4", 80, "ws" },
}
for _, t in ipairs(tos) do print("to_authority", t[1], t[2], t[3], util.to_authority(t[1], t[2], t[3])) end
for _, t in ipairs { 0, 784111777, 1700000000, 2147483647, 4102444800 } do print("imf_date", t, util.imf_date(t)) end
print("imf_date now shape", util.imf_date():match("^%a%a%a, %d%d %a%a%a %d%d%d%d %d%d:%d%d:%d%d GMT$") ~= nil)
for _, s in ipairs { "token", "a b", 'say "hi"', "back\\slash", "", "tab\there", "ctl\1", "del\127", "hi\200", "x=y", "!#$%&'*+-.^_`|~09AZaz", "a/b", "a\nb" } do
  print("maybe_quote", (s:gsub("%c", function(c) return "\\" .. c:byte() end)), tostring(util.maybe_quote(s)))
end
print("yieldable_pcall", util.yieldable_pcall(function(a) return a + 1 end, 1))
print("yields through", coroutine.wrap(function() return util.yieldable_pcall(coroutine.yield, "y") end)())
