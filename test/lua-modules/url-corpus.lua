-- socket.url on a generated corpus (math.randomseed(42)): every function on every URL,
-- plus the RFC 2396 resolution examples and wrong-type arguments.
local H = require("harness")
local url = require("socket.url")
local socket = require("socket")
H.expect_source("socket.url", url.parse)

H.case("version", H.show(url._VERSION))
H.case("registered as socket.url", H.show(socket.url == url))
local names = {}
for k in pairs(url) do names[#names + 1] = k end
table.sort(names)
H.case("exports", table.concat(names, " "))

math.randomseed(42)
local function pick(list)
  return list[math.random(#list)]
end

local schemes = { "http", "https", "ftp", "HTTP", "a+b-c.d", "1x", "x1", "-bad", "+x", ".x",
  "mailto", "urn", "file", "svn+ssh", "h2.0", "javascript", "z" }
local userinfos = { false, "", "user", "user:pass", "us%40er:p%3Ass", ":", "a:b:c", "@", "u@v",
  "\195\188ser", "a%zz", "user:", ":pass", "a;b", "x?y" }
local hosts = { "example.com", "EXAMPLE.com", "127.0.0.1", "[::1]", "[fe80::1%25eth0]",
  "[2001:db8::7]", "::1", "[::1", "::1]", "h?x", "h#x", "", "xn--bcher-kva.example",
  "h\195\169", "a.b.c.", "h;p", "[v1.fe]", "local host", "[]", "[:]", "a]b", "h%41" }
local ports = { false, false, "", "80", "8080", "abc", "0", ":", "99999", "80]" }
local paths = { "", "/", "/a", "/a/b/c", "/a/./b", "/a/../b", "/../a", "/a/b/..", "/a/b/.",
  "a/b", "./a", "../a", "..", ".", "//a//b", "/a%2Fb", "/%7Euser", "/a b", "/\195\169",
  "/\1x", "/a/b/../../..", "/a/.../b", "/a;b/c", "/a/b/", "/./", "/..", "/a//../b",
  "/a/b/c/./../../g", "g;x=1/../y", "/%2e%2e/x", "/a/%", "/a/%zz/%4", "/a+b/c=d" }
local params = { false, false, "", "p", "p=1;q=2", "type=i", "a/b" }
local queries = { false, false, "", "q", "a=1&b=2", "x?y", "a=%20", "?", "a/../b", "a;b" }
local fragments = { false, false, "", "f", "f#g", "frag?x", "/a/../b", "s p" }

local function structured()
  local parts = {}
  local r = math.random()
  if r < 0.8 then
    parts[#parts + 1] = pick(schemes) .. ":"
  end
  local form = math.random(6)
  if form <= 4 then
    parts[#parts + 1] = "//"
    local ui = pick(userinfos)
    if ui then parts[#parts + 1] = ui .. "@" end
    parts[#parts + 1] = pick(hosts)
    local port = pick(ports)
    if port then parts[#parts + 1] = ":" .. port end
  elseif form == 5 then
    parts[#parts + 1] = "///"
  end
  parts[#parts + 1] = pick(paths)
  local p = pick(params)
  if p then parts[#parts + 1] = ";" .. p end
  local q = pick(queries)
  if q then parts[#parts + 1] = "?" .. q end
  local f = pick(fragments)
  if f then parts[#parts + 1] = "#" .. f end
  return table.concat(parts)
end

local alphabet = "abcAZ019:/?#[]@!$&'()*+,;=%.-_~ \1\195\169\255"
local function random_string()
  return H.random_bytes(math.random(0, 30), alphabet)
end

local corpus = {}
for i = 1, 1600 do corpus[#corpus + 1] = structured() end
for i = 1, 900 do corpus[#corpus + 1] = random_string() end
-- fixed entries: RFC 2396 appendix C bases and references, and known quirks
local rfc_base = "http://a/b/c/d;p?q"
local rfc_refs = { "g:h", "g", "./g", "g/", "/g", "//g", "?y", "g?y", "#s", "g#s", "g?y#s",
  ";x", "g;x", "g;x?y#s", "", ".", "./", "..", "../", "../g", "../..", "../../", "../../g",
  "../../../g", "../../../../g", "/./g", "/../g", "g.", ".g", "g..", "..g", "./../g", "./g/.",
  "g/./h", "g/../h", "g;x=1/./y", "g;x=1/../y", "g?y/./x", "g?y/../x", "g#s/./x", "g#s/../x",
  "http:g", "http:", "http://h?x=1", "localhost:8080/x", "//[::1]:80/p", "mailto:a@b" }
for _, ref in ipairs(rfc_refs) do corpus[#corpus + 1] = ref end
for _, ref in ipairs({ "http://host?x=1", "http://host#f", "http://[::1]:8080/a", "http://u:p@h:1/p",
  "http://us%40er:p%3Ass@h/", "https://a:b:c@[fe80::1]:443/x;y?z#w", "//host", "///path",
  "http://", "http:", ":", "//", "?", "#", ";", "@", "http://@/", "http://:@:/" }) do
  corpus[#corpus + 1] = ref
end

local bases = { rfc_base, "http://a/b/c/d", "http://a", "http://a/", "https://u:p@[::1]:8/x/y?q#f",
  "ftp://h/a;type=i", "foo:bar", "/rel/only", "rel/only", "", "http://a/b/../c/./d" }
for i = 1, 30 do bases[#bases + 1] = corpus[math.random(#corpus)] end

for i, u in ipairs(corpus) do
  local tag = "#" .. i .. " " .. H.show(u)
  H.check(tag .. " parse", url.parse, u)
  local parsed = url.parse(u)
  if parsed then
    H.check(tag .. " build", url.build, parsed)
    H.check(tag .. " build(parse) again", function() return url.parse(url.build(parsed)) end)
  end
  if i % 5 == 0 then
    H.check(tag .. " parse default", url.parse, u, { scheme = "dflt", path = "/d", port = "1", host = "dh" })
  end
  H.check(tag .. " escape", url.escape, u)
  H.check(tag .. " unescape", url.unescape, u)
  local segments = url.parse_path(u)
  H.case(tag .. " parse_path", H.show(segments))
  H.check(tag .. " build_path", url.build_path, segments)
  H.check(tag .. " build_path unsafe", url.build_path, segments, true)
  local base = bases[(i % #bases) + 1]
  H.check(tag .. " absolute " .. H.show(base), url.absolute, base, u)
  H.check(tag .. " absolute from " .. H.show(u), url.absolute, u, pick(rfc_refs))
  local bp = url.parse(base)
  if bp then H.check(tag .. " absolute(table base)", url.absolute, bp, u) end
end

-- hand-made parsed tables for build / absolute
local tables = {
  { host = "::1", port = 80, path = "/x" },
  { host = "h", user = "u", password = "p", userinfo = "ignored", authority = "ignored" },
  { host = "h", userinfo = "ui" },
  { authority = "auth", path = "p", scheme = "s", fragment = "f", query = "q", params = "pa" },
  { path = "/only" },
  {},
  { host = "h", port = "" },
  { scheme = "s", host = "h", path = "rel" },
  { host = 42, port = 7, path = 1 },
}
for i, t in ipairs(tables) do
  H.check("table build " .. i, url.build, t)
  H.check("table absolute " .. i, url.absolute, t, "../x/./y?z")
  H.check("table absolute empty " .. i, url.absolute, t, "")
end

-- paths built from segment tables
local segment_tables = {
  { "a", "b c", "d/e", "%", "é", "-_.!~*'():@&=+$,", "?#[]", is_absolute = 1 },
  { "x", is_directory = 1 }, { is_absolute = 1, is_directory = 1 }, {}, { "", "" , is_directory = true },
  { 1, 2.5, "z" },
}
for i, t in ipairs(segment_tables) do
  H.check("segments build " .. i, url.build_path, t)
  H.check("segments build unsafe " .. i, url.build_path, t, true)
end

-- wrong types and odd arguments
local odd = { nil, false, true, 0, 12.5, -1, {}, "", " " }
for i = 1, 9 do
  local v = odd[i]
  H.check("odd parse " .. i, url.parse, v)
  H.check("odd escape " .. i, url.escape, v)
  H.check("odd unescape " .. i, url.unescape, v)
  H.check("odd parse_path " .. i, url.parse_path, v)
  H.check("odd absolute base " .. i, url.absolute, v, "x/y")
  H.check("odd absolute rel " .. i, url.absolute, "http://a/b", v)
  H.check("odd absolute both " .. i, url.absolute, v, v)
  H.check("odd parse default " .. i, url.parse, "http://x", v)
end
H.check("build bad field", url.build, { path = {}, params = "p" })
H.check("build bool params", url.build, { params = true })
H.check("build table host", url.build, { host = {} })
H.check("build table authority", url.build, { authority = {} })
H.check("build bad password", url.build, { host = "h", user = "u", password = {} })
H.check("build_path hole", url.build_path, { "a", nil, "c" })
H.check("build_path nil", url.build_path, nil)
H.check("build nil", url.build, nil)

H.finish()
