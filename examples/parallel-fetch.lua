-- Fetch several URLs at once with luahttp's tasks, at most 4 in flight.
--   npx luahttp --httpbin examples/parallel-fetch.lua     (offline, against the bundled httpbin)
--   npx luahttp examples/parallel-fetch.lua URL...        (your own URLs)
local lh = require("luahttp")
local http = require("socket.http")
local socket = require("socket")

local urls = { ... }
if #urls == 0 then
  for i = 1, 8 do urls[i] = "http://httpbin.org/delay/1?n=" .. i end
end

local limit = lh.semaphore(4)
local function fetch(url)
  limit:acquire()
  local body, code = http.request(url)
  limit:release()
  return code, body and #body
end

local t0 = socket.gettime()
local tasks = {}
for i, url in ipairs(urls) do tasks[i] = lh.spawn(fetch, url) end
for i, r in ipairs(lh.all(tasks)) do
  if r[1] then
    print(string.format("%-40s %s  %s bytes", urls[i], tostring(r[2]), tostring(r[3])))
  else
    print(string.format("%-40s error: %s", urls[i], tostring(r[2])))
  end
end
print(string.format("%d URLs in %.1f s", #urls, socket.gettime() - t0))
