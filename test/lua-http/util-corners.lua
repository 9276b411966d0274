-- http.util corner cases: split_authority's unknown scheme and odd ports, to_authority's IPv6
-- detection and port forms, imf_date of negative/fractional times, query_args ("+" is not a space,
-- repeated names, bare "="), dict_to_query with numbers, resolve_relative_path edge inputs,
-- is_safe_method of odd values, maybe_quote on every byte class, errors for non-string input.
local util = require "http.util"
local function err(...)
  local ok, e = pcall(...)
  -- lua-http raises with its file and line: only the message is compared.
  return ok, (tostring(e):gsub("^.-:%d+: ", ""))
end
for _, a in ipairs {
  { "h", "ftp" }, { "h", nil }, { "h:0", "ftp" }, { "h:007", nil }, { "h:65536", "http" }, { "[fe80::1]:1", nil },
  { "[fe80::1%25eth0]", "http" }, { "[::g]", "http" }, { ":80", "http" }, { "", "https" }, { "\th\t", "http" },
  { "user@h:1", "http" }, { "h:1:2", "http" }, { "[1:2]:3", "ws" },
} do
  print("split_authority", a[1], a[2], util.split_authority(a[1], a[2]))
end
for _, t in ipairs {
  { "::", 80, "http" }, { "1:2", 443, "https" }, { "abc:", 1, "http" }, { "h", 0, "http" }, { "h", 80.0, "http" },
  { "dead:beef", nil, "ws" }, { "host.name", 8080, nil }, { "g:1", 2, "http" },
} do
  print("to_authority", t[1], t[2], t[3], util.to_authority(t[1], t[2], t[3]))
end
print("to_authority bad port", err(util.to_authority, "h", 1.5, "http"))
for _, t in ipairs { -1, 951782400, 1709164800, 2.0 ^ 31, -86400 * 365 } do print("imf_date", t, util.imf_date(t)) end
print("imf_date fraction", err(util.imf_date, 0.5))
for _, q in ipairs { "a+b=c+d", "k=1&k=2&k=", "=", "==", "a==b", "%zz=%4", "a=%26%3D&b", "&a=1&&b=2&" } do
  local parts = {}
  for name, value in util.query_args(q) do parts[#parts + 1] = "[" .. name .. "]=" .. tostring(value) end
  print("query_args", q, table.concat(parts, " "))
end
print("dict_to_query number", err(util.dict_to_query, { n = 5 }))
print("dict_to_query number key", err(util.dict_to_query, { [1] = "x" }))
print("dict_to_query bad", err(util.dict_to_query, { t = {} }))
for _, p in ipairs {
  { "/", "" }, { "", "" }, { "/a/b/c", "/" }, { "/a/b/c", "//x//y//" }, { "/a/b/", "../../../" }, { "a/b/c", "../../x" },
  { "/a/b", "..." }, { "/a/b", ".hidden/" }, { "/a/b", "?q" }, { "/a/b", "x/./y/../z" },
} do
  print("resolve", p[1], p[2], util.resolve_relative_path(p[1], p[2]))
end
for _, m in ipairs { "", "CONNECT", "PATCH", "trace", 1 } do print("safe", m, util.is_safe_method(m)) end
print("safe nil", util.is_safe_method(nil))
local classes = {}
for b = 0, 255 do
  local q = util.maybe_quote(string.char(b))
  local kind = q == nil and "nil" or (q == string.char(b) and "token" or (#q == 3 and "quoted" or "escaped"))
  classes[kind] = (classes[kind] or 0) + 1
end
print("maybe_quote classes", classes.token, classes.quoted, classes.escaped, classes["nil"])
print("maybe_quote mix", util.maybe_quote('a "b" \\c'), util.maybe_quote("é"), util.maybe_quote("x\ty"))
print("encodeURI nil", err(util.encodeURI, nil))
print("encodeURIComponent number", err(util.encodeURIComponent, 12.5))
print("decodeURIComponent number", err(util.decodeURIComponent, 100))
print("split_authority nil", err(util.split_authority, nil, "http"))
print("is_ip number", err(util.is_ip, 127))
print("is_ip table", err(util.is_ip, {}))
