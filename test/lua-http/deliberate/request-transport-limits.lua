-- DELIBERATE DIFFERENCES of luahttp's http.request from lua-http 0.4, where luahttp's transport
-- (undici) cannot do what lua-http's own HTTP/1 stack does:
-- 1. "expect: 100-continue" (set_body adds it for bodies over 1024 bytes) is not sent and the body
--    goes at once: lua-http sends the header and waits up to expect_100_timeout for "100 Continue".
-- 2. request.new_connect(...):go() answers nil, "CONNECT requests are not supported by luahttp", 95:
--    lua-http sends CONNECT and hands out the tunnel (stream.connection:take_socket()). https
--    requests through a proxy (req.proxy) do use a CONNECT tunnel, made by luahttp's transport.
-- 3. A socks proxy (req.proxy = "socks5://…") raises "unsupported proxy type (socks5)" (lua-http's
--    own error for other schemes); lua-http speaks SOCKS itself.
-- 4. A status line ending in a bare LF is accepted (llhttp is lenient there); lua-http fails with
--    "read_status_line: Invalid or incomplete multibyte or wide character", 84.
local request = require "http.request"
local base, fault, proxy = arg[1], arg[2], arg[14]
local r = request.new_from_uri(base .. "/anything")
r.headers:upsert(":method", "POST")
r:set_body(("x"):rep(2000))
print("expect header set", r.headers:get("expect"))
local h, s = assert(r:go(10))
local body = s:get_body_as_string()
print("expect sent", body:match('"Expect"') ~= nil, "body arrived", #body:match('"data": "(x*)"'))
print("connect", request.new_connect(proxy, "127.0.0.1:9"):go(5))
r = request.new_from_uri(base .. "/get")
r.proxy = "socks5://127.0.0.1:1"
local ok, err = pcall(r.go, r, 1)
print("socks", ok, (err:gsub("^.-:%d+: ", "")))
h, s = assert(request.new_from_uri(fault .. "/bare-lf"):go(5))
print("bare LF", h:get(":status"), s:get_body_as_string())
