-- https URLs through socket.http (LuaSocket 3.1.0 hands them to LuaSec): request forms, TLS fields in
-- the request table, verification failures, and redirects across schemes.
-- args: good-url other-url expired-url plain-url close-url http-url cafile capath proxy-url
local good, _, expired, _, _, httpurl, cafile = ...
local http = require("socket.http")
local ltn12 = require("ltn12")
local url = require("socket.url")

local body, code, _, status = http.request(good .. "/echo?via=socket.http")
print("string", body:match("^[^\n]*"), code, status)

local t = {}
local r, c = http.request { url = good .. "/echo?verify=peer", sink = ltn12.sink.table(t), verify = "peer", cafile = cafile }
print("verify peer", r, c, table.concat(t):match("^[^\n]*"))

local n = select("#", http.request { url = expired .. "/echo", verify = "peer", cafile = cafile })
local a, err = http.request { url = expired .. "/echo", verify = "peer", cafile = cafile }
print("expired", n, a, err:match("^certificate verify failed"))

-- http -> https: followed (socket.http creates the TLS connection itself)
t = {}
r, c = http.request { url = httpurl .. "/redirect-https?to=" .. url.escape(good .. "/echo?from=http"), sink = ltn12.sink.table(t) }
print("http->https", r, c, table.concat(t):match("^[^\n]*"))

-- https -> http: never followed; the 3xx comes back
local h
t = {}
r, c, h = http.request { url = good .. "/redirect-http?to=" .. url.escape(httpurl .. "/echo"), sink = ltn12.sink.table(t) }
print("https->http", r, c, (h.location:gsub(":%d+/", ":PORT/")))

-- https -> https with an absolute Location: followed
t = {}
r, c = http.request { url = good .. "/redirect-https?to=" .. url.escape(good .. "/echo?hop=2"), sink = ltn12.sink.table(t) }
print("https->https", r, c, table.concat(t):match("^[^\n]*"))
