-- The scenarios of LuaSocket's own test/urltest.lua (v3.1.0), restated as data: parse, build,
-- absolute resolution (RFC examples and the dot-segment regressions), parse_path/build_path,
-- path protection and parse→build inversion. Each case prints what socket.url returned and
-- whether that equals the value urltest.lua expects, so a drift in either run shows up.
local H = require("harness")
local url = require("socket.url")
H.expect_source("socket.url", url.parse)

local show, case = H.show, H.case

local function verdict(same)
  return same and "as urltest expects" or "DIFFERS from urltest"
end

-- Both tables hold exactly the same keys with equal values.
local function same_fields(a, b)
  for k, v in pairs(a) do if b[k] ~= v then return false end end
  for k, v in pairs(b) do if a[k] ~= v then return false end end
  return true
end

-- parse ---------------------------------------------------------------------------------------
-- Each row: the URL, then the components urltest expects (nothing else may be present).
-- The authority part is repeated so much that rows give it as a template expanded below.
local function authority_parts(userinfo, host, port)
  local t = { host = host, port = port, userinfo = userinfo }
  if userinfo then
    local user, password = userinfo:match("^([^:]*):(.*)$")
    t.user, t.password = user or userinfo, password
  end
  local shown_host = host:find(":", 1, true) and "[" .. host .. "]" or host
  t.authority = (userinfo and userinfo .. "@" or "") .. shown_host .. (port and ":" .. port or "")
  return t
end

local function expect(scheme, auth, rest)
  local t = {}
  if scheme then t.scheme = scheme end
  if auth then for k, v in pairs(auth) do t[k] = v end end
  for k, v in pairs(rest or {}) do t[k] = v end
  return t
end

local PQF = { path = "/path", params = "params", query = "query", fragment = "fragment" }
local parse_rows = {
  { "scheme://user:pass$%?#wd@host:port/path;params?query#fragment",
    expect("scheme", authority_parts("user:pass$%?#wd", "host", "port"), PQF) },
  { "scheme://user:pass?#wd@host:port/path;params?query#fragment",
    expect("scheme", authority_parts("user:pass?#wd", "host", "port"), PQF) },
  { "scheme://user:pass-wd@host:port/path;params?query#fragment",
    expect("scheme", authority_parts("user:pass-wd", "host", "port"), PQF) },
  { "scheme://user:pass#wd@host:port/path;params?query#fragment",
    expect("scheme", authority_parts("user:pass#wd", "host", "port"), PQF) },
  { "scheme://user:pass#wd@host:port/path;params?query",
    expect("scheme", authority_parts("user:pass#wd", "host", "port"), { path = "/path", params = "params", query = "query" }) },
  { "scheme://userinfo@host:port/path;params?query#fragment",
    expect("scheme", authority_parts("userinfo", "host", "port"), PQF) },
  { "scheme://user:password@host:port/path;params?query#fragment",
    expect("scheme", authority_parts("user:password", "host", "port"), PQF) },
  { "scheme://userinfo@host:port/path;params?query#",
    expect("scheme", authority_parts("userinfo", "host", "port"), { path = "/path", params = "params", query = "query", fragment = "" }) },
  { "scheme://userinfo@host:port/path;params?#fragment",
    expect("scheme", authority_parts("userinfo", "host", "port"), { path = "/path", params = "params", query = "", fragment = "fragment" }) },
  { "scheme://userinfo@host:port/path;params#fragment",
    expect("scheme", authority_parts("userinfo", "host", "port"), { path = "/path", params = "params", fragment = "fragment" }) },
  { "scheme://userinfo@host:port/path;?query#fragment",
    expect("scheme", authority_parts("userinfo", "host", "port"), { path = "/path", params = "", query = "query", fragment = "fragment" }) },
  { "scheme://userinfo@host:port/path?query#fragment",
    expect("scheme", authority_parts("userinfo", "host", "port"), { path = "/path", query = "query", fragment = "fragment" }) },
  { "scheme://userinfo@host:port/;params?query#fragment",
    expect("scheme", authority_parts("userinfo", "host", "port"), { path = "/", params = "params", query = "query", fragment = "fragment" }) },
  { "scheme://userinfo@host:port", expect("scheme", authority_parts("userinfo", "host", "port")) },
  { "//userinfo@host:port/path;params?query#fragment", expect(nil, authority_parts("userinfo", "host", "port"), PQF) },
  { "//userinfo@host:port/path", expect(nil, authority_parts("userinfo", "host", "port"), { path = "/path" }) },
  { "//userinfo@host/path", expect(nil, authority_parts("userinfo", "host"), { path = "/path" }) },
  { "//user:password@host/path", expect(nil, authority_parts("user:password", "host"), { path = "/path" }) },
  { "//user:@host/path", expect(nil, authority_parts("user:", "host"), { path = "/path" }) },
  { "//user@host:port/path", expect(nil, authority_parts("user", "host", "port"), { path = "/path" }) },
  { "//host:port/path", expect(nil, authority_parts(nil, "host", "port"), { path = "/path" }) },
  { "//host/path", expect(nil, authority_parts(nil, "host"), { path = "/path" }) },
  { "//host", expect(nil, authority_parts(nil, "host")) },
  { "/path", { path = "/path" } },
  { "path", { path = "path" } },
  -- IPv6 literals: the brackets stay in authority, not in host
  { "http://[FEDC:BA98:7654:3210:FEDC:BA98:7654:3210]:80/index.html",
    expect("http", authority_parts(nil, "FEDC:BA98:7654:3210:FEDC:BA98:7654:3210", "80"), { path = "/index.html" }) },
  { "http://[1080:0:0:0:8:800:200C:417A]/index.html",
    expect("http", authority_parts(nil, "1080:0:0:0:8:800:200C:417A"), { path = "/index.html" }) },
  { "http://[3ffe:2a00:100:7031::1]", expect("http", authority_parts(nil, "3ffe:2a00:100:7031::1")) },
  { "http://[1080::8:800:200C:417A]/foo", expect("http", authority_parts(nil, "1080::8:800:200C:417A"), { path = "/foo" }) },
  { "http://[::192.9.5.5]/ipng", expect("http", authority_parts(nil, "::192.9.5.5"), { path = "/ipng" }) },
  { "http://[::FFFF:129.144.52.38]:80/index.html",
    expect("http", authority_parts(nil, "::FFFF:129.144.52.38", "80"), { path = "/index.html" }) },
  { "http://[2010:836B:4179::836B:4179]", expect("http", authority_parts(nil, "2010:836B:4179::836B:4179")) },
  { "//userinfo@[::FFFF:129.144.52.38]:port/path;params?query#fragment",
    expect(nil, authority_parts("userinfo", "::FFFF:129.144.52.38", "port"), PQF) },
  { "scheme://user:password@[::192.9.5.5]:port/path;params?query#fragment",
    expect("scheme", authority_parts("user:password", "::192.9.5.5", "port"), PQF) },
}
for _, row in ipairs(parse_rows) do
  local parsed = url.parse(row[1])
  case("parse " .. row[1], show(parsed) .. " " .. verdict(same_fields(parsed, row[2])))
end

-- build ---------------------------------------------------------------------------------------
-- Each row: the expected URL and the parts given to build. Parts that build must ignore
-- (userinfo/authority when finer parts exist) carry "not used".
local full = "scheme://user:password@host:port/path;params?query#fragment"
local function parts(t)
  local out = { path = "/path" }
  for k, v in pairs(t) do out[k] = v end
  return out
end
local build_rows = {
  { full, parts { scheme = "scheme", host = "host", port = "port", user = "user", password = "password", params = "params", query = "query", fragment = "fragment" } },
  { "//userinfo@[::FFFF:129.144.52.38]:port/path;params?query#fragment",
    parts { host = "::FFFF:129.144.52.38", port = "port", user = "userinfo", params = "params", query = "query", fragment = "fragment" } },
  { "scheme://user:password@[::192.9.5.5]:port/path;params?query#fragment",
    parts { scheme = "scheme", host = "::192.9.5.5", port = "port", user = "user", password = "password", params = "params", query = "query", fragment = "fragment" } },
  { "scheme://user:password@host/path;params?query#fragment",
    parts { scheme = "scheme", host = "host", user = "user", password = "password", params = "params", query = "query", fragment = "fragment" } },
  { "scheme://user@host/path;params?query#fragment",
    parts { scheme = "scheme", host = "host", user = "user", params = "params", query = "query", fragment = "fragment" } },
  { "scheme://host/path;params?query#fragment", parts { scheme = "scheme", host = "host", params = "params", query = "query", fragment = "fragment" } },
  { "scheme://host/path;params#fragment", parts { scheme = "scheme", host = "host", params = "params", fragment = "fragment" } },
  { "scheme://host/path#fragment", parts { scheme = "scheme", host = "host", fragment = "fragment" } },
  { "scheme://host/path", parts { scheme = "scheme", host = "host" } },
  { "//host/path", parts { host = "host" } },
  { "/path", parts {} },
  { full, parts { scheme = "scheme", host = "host", port = "port", user = "user", userinfo = "not used", password = "password", params = "params", query = "query", fragment = "fragment" } },
  { full, parts { scheme = "scheme", host = "host", port = "port", user = "user", userinfo = "not used", authority = "not used", password = "password", params = "params", query = "query", fragment = "fragment" } },
  { full, parts { scheme = "scheme", host = "host", port = "port", userinfo = "user:password", authority = "not used", params = "params", query = "query", fragment = "fragment" } },
  { full, parts { scheme = "scheme", authority = "user:password@host:port", params = "params", query = "query", fragment = "fragment" } },
}
for i, row in ipairs(build_rows) do
  local got = url.build(row[2])
  case("build #" .. i .. " " .. show(row[2]), show(got) .. " " .. verdict(got == row[1]))
end

-- absolute ------------------------------------------------------------------------------------
-- Rows grouped by base URL: { base, { relative, expected }, ... }.
local absolute_groups = {
  { "http://a/b/c/d;p?q#f",
    { "g:h", "g:h" }, { "g", "http://a/b/c/g" }, { "./g", "http://a/b/c/g" }, { "g/", "http://a/b/c/g/" },
    { "/g", "http://a/g" }, { "//g", "http://g" }, { "?y", "http://a/b/c/d;p?y" }, { "g?y", "http://a/b/c/g?y" },
    { "g?y/./x", "http://a/b/c/g?y/x" }, { "#s", "http://a/b/c/d;p?q#s" }, { "g#s", "http://a/b/c/g#s" },
    { "g#s/./x", "http://a/b/c/g#s/x" }, { "g?y#s", "http://a/b/c/g?y#s" }, { ";x", "http://a/b/c/d;x" },
    { "g;x", "http://a/b/c/g;x" }, { "g;x?y#s", "http://a/b/c/g;x?y#s" }, { ".", "http://a/b/c/" },
    { "./", "http://a/b/c/" }, { "./g/", "http://a/b/c/g/" }, { "././g", "http://a/b/c/g" },
    { "././g/", "http://a/b/c/g/" }, { "g/.", "http://a/b/c/g/" }, { "g/./", "http://a/b/c/g/" },
    { "g/./.", "http://a/b/c/g/" }, { "g/././", "http://a/b/c/g/" }, { "./.", "http://a/b/c/" },
    { "././.", "http://a/b/c/" }, { "././g/./.", "http://a/b/c/g/" }, { "..", "http://a/b/" },
    { "../", "http://a/b/" }, { "../g", "http://a/b/g" }, { "../..", "http://a/" }, { "../../", "http://a/" },
    { "../../g", "http://a/g" }, { "../../../g", "http://a/g" }, { "", "http://a/b/c/d;p?q#f" },
    { "/./g", "http://a/g" }, { "/../g", "http://a/g" }, { "g.", "http://a/b/c/g." }, { ".g", "http://a/b/c/.g" },
    { "g..", "http://a/b/c/g.." }, { "..g", "http://a/b/c/..g" }, { "./../g", "http://a/b/g" },
    { "./g/.", "http://a/b/c/g/" }, { "g/./h", "http://a/b/c/g/h" }, { "g/../h", "http://a/b/c/h" } },
  { "http://a/b/c/d:p?q#f/",
    { "../g/", "http://a/b/g/" }, { "../g", "http://a/b/g" }, { "../.g/", "http://a/b/.g/" },
    { "../.g", "http://a/b/.g" }, { "../.g.h/", "http://a/b/.g.h/" }, { "../.g.h", "http://a/b/.g.h" },
    { "g.h/", "http://a/b/c/g.h/" }, { "../g.h/", "http://a/b/g.h/" } },
  { "http://a/", { "../g.h/", "http://a/g.h/" } },
  { "//a/b/c/d;p?q#f", { "d/e/f", "//a/b/c/d/e/f" } },
  { "/a/b/c/d;p?q#f", { "d/e/f", "/a/b/c/d/e/f" } },
  { "a/b/c/d", { "d/e/f", "a/b/c/d/e/f" } },
  { "a/b/c/d/../", { "d/e/f", "a/b/c/d/e/f" } },
  { "http://velox.telemar.com.br", { "/dashboard/index.html", "http://velox.telemar.com.br/dashboard/index.html" } },
  { "http://example.com/", { "../.badhost.com/", "http://example.com/.badhost.com/" },
    { "...badhost.com/", "http://example.com/...badhost.com/" } },
  { "http://example.com", { ".badhost.com", "http://example.com/.badhost.com" } },
  { "http://example.com/a/b/c/d/",
    { "../q", "http://example.com/a/b/c/q" }, { "../../q", "http://example.com/a/b/q" },
    { "../../../q", "http://example.com/a/q" }, { "..//../../../q", "http://example.com/a/q" },
    { "..//a/../../../../q", "http://example.com/a/q" }, { "..//a/..//../../../q", "http://example.com/a/b/q" },
    { "..//a/..///../../../../q", "http://example.com/a/b/q" },
    { "../x/a/../y/z/../../../../q", "http://example.com/a/b/q" } },
}
for _, group in ipairs(absolute_groups) do
  local base = group[1]
  for i = 2, #group do
    local relative, wanted = group[i][1], group[i][2]
    local got = url.absolute(base, relative)
    case("absolute " .. show(base) .. " + " .. show(relative), show(got) .. " " .. verdict(got == wanted))
  end
end

-- parse_path / build_path ---------------------------------------------------------------------
-- Each row: a path and the segments urltest expects (is_absolute/is_directory are 1 when set);
-- build_path of the expected segments must give the path back.
local path_rows = {
  { "/eu/tu/ele", { "eu", "tu", "ele", is_absolute = 1 } },
  { "/eu/", { "eu", is_absolute = 1, is_directory = 1 } },
  { "eu/tu/ele/nos/vos/eles/", { "eu", "tu", "ele", "nos", "vos", "eles", is_directory = 1 } },
  { "/", { is_absolute = 1, is_directory = 1 } },
  { "", {} },
  { "eu%01/%02tu/e%03l%04e/nos/vos%05/e%12les/", { "eu\1", "\2tu", "e\3l\4e", "nos", "vos\5", "e\18les", is_directory = 1 } },
  { "eu/tu", { "eu", "tu" } },
}
for _, row in ipairs(path_rows) do
  local path, wanted = row[1], row[2]
  local parsed = url.parse_path(path)
  local ok = #parsed == #wanted and parsed.is_absolute == wanted.is_absolute and parsed.is_directory == wanted.is_directory
  for i = 1, #wanted do ok = ok and parsed[i] == wanted[i] end
  case("parse_path " .. show(path), show(parsed) .. " " .. verdict(ok))
  local rebuilt = url.build_path(wanted)
  case("build_path " .. show(wanted), show(rebuilt) .. " " .. verdict(rebuilt == path))
end

-- build_path escaping: safe characters kept, the rest %XX; with `unsafe` nothing is escaped.
local protect_rows = {
  { { "eu", "-_.!~*'():@&=+$,", "tu" }, nil, "eu/-_.!~*'():@&=+$,/tu" },
  { { "eu ", "~diego" }, nil, "eu%20/~diego" },
  { { "/eu>", "<diego?" }, nil, "%2Feu%3E/%3Cdiego%3F" },
  { { "\\eu]", "[diego`" }, nil, "%5Ceu%5D/%5Bdiego%60" },
  { { "{eu}", "|diego\127" }, nil, "%7Beu%7D/%7Cdiego%7F" },
  { { "eu ", "~diego" }, 1, "eu /~diego" },
  { { "/eu>", "<diego?" }, 1, "/eu>/<diego?" },
  { { "\\eu]", "[diego`" }, 1, "\\eu]/[diego`" },
  { { "{eu}", "|diego\127" }, 1, "{eu}/|diego\127" },
}
for _, row in ipairs(protect_rows) do
  local got = url.build_path(row[1], row[2])
  case("build_path " .. show(row[1]) .. " unsafe=" .. show(row[2]), show(got) .. " " .. verdict(got == row[3]))
end

-- inversion: parse, split and re-join the path, build; the URL must come back unchanged.
local invert_rows = {
  "http:", "a/b/c/d.html", "//net_loc", "http:a/b/d/c.html", "//net_loc/a/b/d/c.html",
  "http://net_loc/a/b/d/c.html", "//who:isit@net_loc",
  "http://he:man@boo.bar/a/b/c/i.html;type=moo?this=that#mark", "/b/c/d#fragment",
  "/b/c/d;param#fragment", "/b/c/d;param?query#fragment", "/b/c/d?query", "/b/c/d;param?query",
  "http://he:man@[::192.168.1.1]/a/b/c/i.html;type=moo?this=that#mark",
}
for _, original in ipairs(invert_rows) do
  local parsed = url.parse(original)
  parsed.path = url.build_path(url.parse_path(parsed.path))
  local rebuilt = url.build(parsed)
  case("invert " .. show(original), show(rebuilt) .. " " .. verdict(rebuilt == original))
end

H.finish()
