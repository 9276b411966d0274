-- socket.http through an HTTP proxy (reqt.proxy, http.PROXY): the absolute-form request line with an
-- explicit port and Proxy-Authorization from the proxy URL's userinfo, as the proxy saw them.
-- args: good-url other-url expired-url plain-url close-url http-url cafile capath proxy-url
local _, _, _, _, _, httpurl, _, _, proxy = ...
local http = require("socket.http")
local ltn12 = require("ltn12")

local function show(label, r, c, h, t)
  print(label, r, c, h and h["x-proxy-saw"], t and table.concat(t):match("^[^\n]*"))
end

local t = {}
local r, c, h = http.request { url = httpurl .. "/echo?p=1", sink = ltn12.sink.table(t), proxy = proxy }
show("reqt.proxy", r, c, h, t)

t = {}
local auth = proxy:gsub("^http://", "http://us%%40er:p%%3Ass@")
r, c, h = http.request { url = httpurl .. "/echo?p=2", sink = ltn12.sink.table(t), proxy = auth }
show("userinfo", r, c, h, t)

http.PROXY = proxy
local body
body, c, h = http.request(httpurl .. "/echo?p=3")
print("http.PROXY", c, h["x-proxy-saw"], body:match("^[^\n]*"))
http.PROXY = nil
