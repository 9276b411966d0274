-- DELIBERATE DIFFERENCE. Content-Length values that differ (`5, 6`, or a header `5` and another `6`):
-- LuaSocket 3.1.0 joins them ("5, 6"), tonumber gives nil, and it reads the body to the close
-- ("hellox"). luahttp refuses the response with LuaSocket's message for a malformed head: there is no
-- length to trust (RFC 9112 §6.3 calls it an unrecoverable error), and on a kept-alive connection
-- reading to the close would wait for the timeout. Equal values (`5, 5`) are read as that length.
local http = require("socket.http")
for _, path in ipairs { "/cl-list-differ", "/cl-repeated-differ" } do
  local body, code, h, status = http.request(arg[2] .. path)
  print(path, body, code, h, status)
end
