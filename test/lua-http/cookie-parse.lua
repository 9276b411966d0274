-- http.cookie's parsers: parse_cookie (a Cookie header into a table), parse_cookies (all "cookie"
-- fields of request headers merged), parse_setcookie (name, value, attributes with lower-cased
-- names, bare flags as true); quoted values, blanks, empty names/values, repeated attributes, and
-- the inputs the grammar rejects (nil result).
local cookie = require "http.cookie"
local http_headers = require "http.headers"
local function show(t)
  if type(t) ~= "table" then return tostring(t) end
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do out[#out + 1] = string.format("%q=%s", k, type(t[k]) == "string" and string.format("%q", t[k]) or tostring(t[k])) end
  return "{" .. table.concat(out, ",") .. "}"
end
local function err(...)
  local ok, e = pcall(...)
  -- lua-http raises with its file and line: only the message is compared.
  return ok, (tostring(e):gsub("^.-:%d+: ", ""))
end
local cookies = {
  "a=1", "a=1; b=2", "a=1;b=2", "a=1 ; b = 2 ", "a=1;  b=2", 'q="quoted"', 'q=""', 'q="unclosed', 'q=in"side',
  "a=1; a=2", "a=", "=1", "a", "a=1;", "a=1; ", "a=1;;b=2", "a=b=c", "a=1,b=2", "a=x y", "sp ace=1",
  "a=\\", "a=\1", "a=é", "tab\t=\t1", "", " a=1", "a=1\t", "!#$%&'*+-.^_`|~=ok", "a=1;\tb=2",
}
for _, c in ipairs(cookies) do print("parse_cookie", string.format("%q", c), show(cookie.parse_cookie(c))) end
local setcookies = {
  "a=1", "a=1; Path=/x; Domain=.Example.COM; Secure; HttpOnly",
  "id=a3fWa; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Max-Age=100",
  "a=1; SameSite=Lax", "a=1; secure; SECURE; Secure=yes", "a=1; PATH = /p q ; x", "a=1;Path=/", "a=1;  Path=/",
  "a=1; Path=/  ; Secure", "a=1; Path=/  ", "a=1; =v", "a=1; ;", "a=1;", "a=1; Foo Bar=baz qux", "a=1; Foo Bar",
  "a=1; Path=/é", "a=1; Path=/\1", "a=1; Path=\t/x", "a=1; N=v;", "a=1; Expires", "a=1; A=1; a=2",
  'a="v"; Comment="x; y"', "a = 1 ; Path=/", "=1; Path=/", "a=1 2; Path=/", "a=1; x\t=y", "a=1; x= y z ",
}
for _, c in ipairs(setcookies) do
  local name, value, params = cookie.parse_setcookie(c)
  print("parse_setcookie", string.format("%q", c), name, value, show(params))
end
print("parse_setcookie count", select("#", cookie.parse_setcookie("a=1")), select("#", cookie.parse_setcookie("bad")))
local h = http_headers.new()
print("parse_cookies none", show(cookie.parse_cookies(h)))
h:append("cookie", "a=1; b=2")
h:append("cookie", "not a cookie")
h:append("cookie", "b=3; c=4")
h:append("x-other", "d=5")
print("parse_cookies", show(cookie.parse_cookies(h)))
print("parse_cookie number", cookie.parse_cookie(5))
print("parse_cookie nil", err(cookie.parse_cookie, nil))
print("parse_setcookie table", err(cookie.parse_setcookie, {}))
