-- Relative Locations are resolved against the request URL.
local http = require("socket.http")
local body, code, h = http.request(arg[1] .. "/relative-redirect/3")
print(code, h["location"], body:match('"url": "([^"]*)"'))
body, code, h = http.request(arg[1] .. "/redirect-to?url=..%2Fget%3Fvia%3Ddots")
print(code, h["location"], body:match('"url": "([^"]*)"'))
