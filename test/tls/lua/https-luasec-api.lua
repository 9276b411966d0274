-- ssl.https (LuaSec 1.2.0) against a loopback TLS server whose CA the script trusts: module fields,
-- both request forms, returns on failure, the caller's table after the call, LuaSec's refusals.
-- args: good-url other-url expired-url plain-url close-url http-url cafile capath proxy-url
local good, _, expired, plain, close, _, cafile = ...
local https = require("ssl.https")
local ltn12 = require("ltn12")

print("fields", https._VERSION, https.PORT, https.TIMEOUT, type(https.request), type(https.tcp))

local body, code, headers, status = https.request(good .. "/echo?form=string")
print("string", body:match("^[^\n]*"), code, type(headers), status, headers["content-type"])

body, code = https.request(good .. "/echo", "a=1&b=2")
print("post", body:match("^[^\n]*"), code, body:match("content%-type: ([^\n]*)"), body:match("content%-length: ([^\n]*)"))

local t = {}
local reqt = { url = good .. "/echo?form=table", sink = ltn12.sink.table(t), verify = "peer", cafile = cafile }
local r, c, h, s = https.request(reqt)
print("table", r, c, type(h), s, table.concat(t):match("^[^\n]*"))
print("mutated", reqt.protocol, reqt.mode, type(reqt.create), type(reqt.options), reqt.options and table.concat(reqt.options, ","))
print("url", (reqt.url:gsub(":%d+/", ":PORT/")))
print("reuse", select("#", https.request(reqt)), https.request(reqt))
print("create", select("#", https.request { url = good .. "/echo", create = function() end }), https.request { url = good .. "/echo", create = function() end })
r, c = https.request { url = good .. "/echo", redirect = false }
print("redirect=false", r, c)

local function failure(u, extra)
  local function rq()
    local t = { url = u }
    for k, v in pairs(extra or {}) do t[k] = v end
    return t
  end
  local n = select("#", https.request(rq()))
  local a, err, x, y = https.request(rq())
  return n, a, err, x, y
end
local n, a, err = failure(expired .. "/echo", { verify = "peer", cafile = cafile })
print("expired", n, a, err:match("^certificate verify failed"))
n, a, err = failure(plain .. "/echo")
print("plain", n, a, err)
n, a, err = failure(close .. "/echo")
print("close", n, a, err)
