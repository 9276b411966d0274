-- http.cookie.bake: Set-Cookie values from fields (Expires for a finite time, Max-Age=0 for
-- -math.huge, nothing for math.huge), Domain, Path (encodeURI'd), Secure, HttpOnly, SameSite; the
-- same_site error; and a baked cookie parsed back by parse_setcookie.
local cookie = require "http.cookie"
local function err(...)
  local ok, e = pcall(...)
  -- lua-http raises with its file and line: only the message is compared.
  return ok, (tostring(e):gsub("^.-:%d+: ", ""))
end
print(cookie.bake("a", "1"))
print(cookie.bake("a", "1", math.huge))
print(cookie.bake("a", "1", -math.huge))
print(cookie.bake("a", "1", 0))
print(cookie.bake("a", "1", 1700000000, "example.com", "/p a/t?h#é", true, true, "strict"))
print(cookie.bake("a", "1", nil, nil, "/", false, true, "lax"))
print(cookie.bake("", ""))
print(cookie.bake("n", "v; not escaped", nil, ".Dom"))
print("bad same_site", err(cookie.bake, "a", "1", nil, nil, nil, nil, nil, "none"))
print("bad same_site case", err(cookie.bake, "a", "1", nil, nil, nil, nil, nil, "Lax"))
print("fraction", err(cookie.bake, "a", "1", 1.5))
print("number value", cookie.bake("a", 2))
local baked = cookie.bake("sid", "xyz", 1700000000, "example.com", "/app", true, true, "lax")
local name, value, params = cookie.parse_setcookie(baked)
print("round trip", name, value, params.expires, params.domain, params.path, params.secure, params.httponly, params.samesite)
