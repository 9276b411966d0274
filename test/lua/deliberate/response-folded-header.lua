-- DELIBERATE DIFFERENCE: LuaSocket joins an obs-fold continuation line into the header value;
-- undici's parser (llhttp, strict) refuses obsolete line folding (RFC 9112 §5.2 allows refusing it),
-- so luahttp returns nil, "malformed reponse headers" (LuaSocket's own message for a bad header).
-- An obs-fold continuation line is appended to the previous header value.
local http = require("socket.http")
local body, code, h = http.request(arg[2] .. "/folded")
print(body, code)
print(string.format("%q", tostring(h["x-folded"])))
