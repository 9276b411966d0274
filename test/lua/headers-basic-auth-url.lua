-- Basic auth from URL user:password; the password is unescaped, the user is not.
local http = require("socket.http")
local ltn12 = require("ltn12")
local host = arg[1]:match("^http://(.*)$")
local body, code = http.request("http://user:passwd@" .. host .. "/basic-auth/user/passwd")
print(code)
io.write(body)
body, code = http.request("http://user:wrong@" .. host .. "/basic-auth/user/passwd")
print(code, #body)
local fhost = arg[2]:match("^http://(.*)$")
local raw = http.request("http://us%40er:p%3Ass@" .. fhost .. "/capture")
print(raw:match("Authorization: [^\r\n]*"))
-- user and password fields in the request table
local t = {}
http.request{ url = arg[2] .. "/capture", user = "a", password = "b", sink = ltn12.sink.table(t) }
print(table.concat(t):match("Authorization: [^\r\n]*"))
-- user without password: no header
raw = http.request("http://onlyuser@" .. fhost .. "/capture")
print(raw:match("Authorization") == nil)
