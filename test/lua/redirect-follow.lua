-- /redirect/n is followed (default limit 5); headers.location holds the last Location followed.
local http = require("socket.http")
local body, code, h, status = http.request(arg[1] .. "/redirect/3")
print(code, status, h["location"])
print(body:match('"url": "([^"]*)"'))
body, code, h = http.request(arg[1] .. "/absolute-redirect/2")
print(code, h["location"], body:match('"url": "([^"]*)"'))
