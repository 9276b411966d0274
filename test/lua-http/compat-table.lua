-- http.compat.socket, the table form: sink (the body pumped into it; the call answers 1), no sink
-- (answers 1, body not read), source + method + headers (names lower-cased, numbers coerced, "host"
-- replaces :authority), redirect = false, nredirects, a custom step, host/port overriding where the
-- request goes, and the argument errors (create, method type, body type, bad URL).
local http = require "http.compat.socket"
local ltn12 = require "ltn12"
local base = arg[1]
local function err(...)
  local ok, e = pcall(...)
  -- lua-http raises with its file and line: only the message is compared.
  return ok, (tostring(e):gsub("^.-:%d+: ", ""))
end
local t = {}
local one, code, headers, reason = http.request { url = base .. "/get?via=table", sink = ltn12.sink.table(t) }
print("sink", one, code, reason, headers["content-type"], (table.concat(t):match('"url": "[^"]*"')))
print("no sink", http.request { url = base .. "/get" } == 1)
t = {}
one, code = http.request {
  url = base .. "/anything/put",
  method = "PUT",
  source = ltn12.source.string("hello body"),
  headers = { ["Content-Length"] = 10, ["X-Test"] = "yes", ["content-type"] = "text/plain" },
  sink = ltn12.sink.table(t),
}
local body = table.concat(t)
print("source", one, code, body:match('"method": "[^"]*"'), body:match('"data": "[^"]*"'), body:match('"X%-Test": "[^"]*"'),
  body:match('"Content%-Type": "[^"]*"'), body:match('"Content%-Length": "[^"]*"'))
-- A source in several pieces, pumped with a step that counts its calls.
local steps = 0
local function counting_step(src, snk)
  steps = steps + 1
  return ltn12.pump.step(src, snk)
end
t = {}
local pieces = { "one,", "two,", "three" }
local i = 0
one, code = http.request {
  url = base .. "/post",
  method = "POST",
  source = function() i = i + 1; return pieces[i] end,
  headers = { ["content-length"] = 13 },
  sink = ltn12.sink.table(t),
  step = counting_step,
}
print("pieces", one, code, table.concat(t):match('"data": "[^"]*"'), "steps", steps)
one, code, headers, reason = http.request { url = base .. "/redirect/1", redirect = false }
print("redirect false", one, code, headers.location, reason)
print("nredirects 5", http.request { url = base .. "/redirect/1", nredirects = 5 })
print("nredirects 4", (http.request { url = base .. "/redirect/1", nredirects = 4 }))
t = {}
print("host header", http.request { url = base .. "/headers", headers = { Host = "example.test:8080" }, sink = ltn12.sink.table(t) },
  table.concat(t):match('"Host": "[^"]*"'))
-- host/port say where to connect; the Host header still comes from the URL.
local port = base:match(":(%d+)$")
t = {}
print("host/port override", http.request { url = "http://wrong.invalid:1/headers", host = "127.0.0.1", port = tonumber(port), sink = ltn12.sink.table(t) },
  table.concat(t):match('"Host": "[^"]*"'))
-- A sink that fails stops the pump with its message.
local failing = function(chunk) if chunk then return nil, "sink says no" end return 1 end
print("failing sink", http.request { url = base .. "/bytes/10", sink = failing })
print("create", err(http.request, { url = base, create = function() end }))
print("method type", err(http.request, { url = base, method = 1 }))
print("body type", err(http.request, base, 12))
print("bad url", err(http.request, "not a url"))
print("no url", err(http.request, {}))
print("header value table", err(http.request, { url = base .. "/get", headers = { x = {} } }))
