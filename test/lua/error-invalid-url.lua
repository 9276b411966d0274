-- URLs without a host fail with "invalid host 'nil'"; unknown schemes throw a Lua error.
local http = require("socket.http")
print(http.request{ url = "/foo" })
print(http.request("localhost/path"))
local ok, err = pcall(http.request, "ftp://127.0.0.1/x")
print(ok, type(err))
ok, err = pcall(http.request, {})
print(ok, type(err))
