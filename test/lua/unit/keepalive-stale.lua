-- Fixture for test/io/keepalive-stale.test.ts: arg[2] sequential requests spread over the servers
-- whose base URLs follow (arg[3]…), each of which closes its connections soon after a response.
-- Mostly GETs (some where the script cannot yield), some POSTs with a string body (replayable) and
-- some with a streamed source too large to hold (never sent on a pooled connection). Prints the failures and the requests done.
-- arg[1] == "fresh-only": every request is a streamed upload (the count of connections the server
-- saw tells whether each went on a new one). arg[1] == "https": GETs with ssl.https.request to
-- https servers, verified by the CA file in arg[3] (the bases follow it).
local http = require("socket.http")
local https = require("ssl.https")
local ltn12 = require("ltn12")

local total = tonumber(arg[2])
local first, cafile = 3, nil
if arg[1] == "https" then first, cafile = 4, arg[3] end
local bases = {}
for i = first, #arg do bases[#bases + 1] = arg[i] end

-- A source of n chunks of 32 KiB: more than the 64 KiB luahttp gathers before it starts sending.
local function bigsource(n)
  local i = 0
  return function()
    i = i + 1
    if i > n then return nil end
    return string.rep("s", 32768)
  end
end

local failures = 0
local function check(what, b, c, want)
  if b ~= want or c ~= 200 then
    failures = failures + 1
    io.stderr:write(what, ": ", tostring(b), " ", tostring(c), "\n")
  end
end

for i = 1, total do
  local base = bases[(i - 1) % #bases + 1]
  if arg[1] == "https" then
    local t = {}
    local _, c = https.request { url = base .. "/get", cafile = cafile, sink = ltn12.sink.table(t) }
    check("https GET", table.concat(t), c, "got 0")
  elseif arg[1] == "fresh-only" or i % 50 == 0 then
    local t = {}
    local _, c = http.request {
      url = base .. "/up", method = "POST", source = bigsource(4), sink = ltn12.sink.table(t),
      headers = { ["content-length"] = 4 * 32768 },
    }
    check("streamed POST", table.concat(t), c, "got 131072")
  elseif i % 10 == 0 then
    local b, c = http.request(base .. "/form", "x=" .. i)
    check("POST", b, c, "got " .. #("x=" .. i))
  elseif i % 7 == 0 then
    -- where the script cannot yield, the request runs on the I/O thread (its own pool): same rule
    local b, c
    string.gsub("x", "x", function() b, c = http.request(base .. "/get") end)
    check("GET, blocking", b, c, "got 0")
  else
    local b, c = http.request(base .. "/get")
    check("GET", b, c, "got 0")
  end
end
print("failures", failures, "requests", total)
