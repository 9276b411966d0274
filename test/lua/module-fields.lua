-- Module fields and identities: http.TIMEOUT, USERAGENT, socket._VERSION, ltn12 constants, module tables.
local socket = require("socket")
local http = require("socket.http")
local ltn12 = require("ltn12")
local url = require("socket.url")
local mime = require("mime")
print(http.TIMEOUT, math.type(http.TIMEOUT), http.USERAGENT, socket._VERSION, http.PROXY)
print(ltn12._VERSION, ltn12.BLOCKSIZE, url._VERSION, mime._VERSION)
print(socket.http == http, socket.url == url, require("socket.core") == socket, require("mime.core") == mime)
print(type(http.request), type(http.open), type(http.genericform), type(http.schemes), http.schemes.http.port, http.schemes.https.port)
print(rawget(_G, "ltn12"), rawget(_G, "socket"), rawget(_G, "http"))
print(type(socket.protect), type(socket.try), type(socket.newtry), type(socket.skip), socket.skip(1, "a", "b"))
local keys = {}
for k in pairs(http) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys, " "))
