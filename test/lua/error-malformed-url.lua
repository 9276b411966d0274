-- Malformed URLs in http.request: no host ("invalid host 'nil'"), ports that are not numbers
-- (LuaSocket connects with getaddrinfo, so a bad port is "service not supported for socket type"
-- and a service name is a port), hosts getaddrinfo cannot resolve, and unknown schemes (a Lua error).
-- Nothing listens anywhere: arg[3] is a closed-port URL, every other port is derived from it.
local http = require("socket.http")
local P = tonumber(arg[3]:match(":(%d+)$"))
local base = "http://127.0.0.1:"

-- { label, url } — labels stand in for URLs that would print the run's port number
local cases = {
  { "scheme only", "http://" },
  { "empty authority", "http:///path" },
  { "port without host", "http://:" .. P .. "/" },
  { "userinfo without host", "http://user@/x" },
  { "no slashes", "http:127.0.0.1" },
  { "missing colon", "http//127.0.0.1/" },
  { "letters as port", base .. "abc/" },
  { "negative port", base .. "-1/" },
  { "hex port", base .. "0x50/" },
  { "unknown service", base .. "nosuchservice/" },
  { "udp-only service", base .. "sgi-crsd/" },
  { "port too big for int", base .. "4294967295/" },
  { "port wraps to 16 bits", base .. (P + 65536) .. "/" },
  { "signed port", base .. "+" .. P .. "/" },
  { "fragment glued to port", base .. P .. "#frag" },
  { "query glued to port", base .. P .. "?q" },
  { "params glued to port", base .. P .. ";p" },
  { "bad port, unknown host", "http://nonexistent.invalid:abc/" },
  { "unclosed IPv6 bracket", "http://[::1/" },
  { "two ports", base .. P .. ":80/" },
  { "percent-encoded host", "http://%31%32%37.0.0.1:" .. P .. "/" },
  { "bracketed IPv4", "http://[127.0.0.1]:" .. P .. "/" },
  { "scheme-relative", "//127.0.0.1:" .. P .. "/x" },
  { "blanks in userinfo", "http://us er:pa ss@127.0.0.1:" .. P .. "/" },
}
for _, c in ipairs(cases) do
  print(c[1], http.request(c[2]))
end

-- the generic form: a port field given directly, as a number or a string
print("port field name", http.request{ url = "http://127.0.0.1/", port = "nosuchservice" })
print("port field float", http.request{ url = "http://127.0.0.1/", port = P + 0.0 })
print("port field integer", http.request{ url = "http://127.0.0.1/", port = P })
print("port field blank", http.request{ url = "http://127.0.0.1/", port = " " .. P })

-- unknown or missing schemes are Lua errors (socket.http indexes a nil scheme table)
for _, u in ipairs({ "HTTP://127.0.0.1:" .. P .. "/", "", "ftp://127.0.0.1/" }) do
  local ok, err = pcall(http.request, u)
  print("throws", ok, (tostring(err):gsub("^.-:%d+: ", "")))
end
