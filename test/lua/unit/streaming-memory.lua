-- Fixture for test/io/streaming-memory.test.ts: streams arg[2] bytes from arg[1] into /dev/null
-- through ltn12.sink.file and prints VmRSS (kB) before and after, plus the byte count.
-- arg[3] == "gzip-in-gsub": the body comes gzip-encoded (decoded by compressed = true) and the request
-- is made inside a string.gsub callback, where luahttp blocks on its I/O host thread instead of
-- yielding; the sink is slow on purpose, so the decoder gets ahead of the script.
local http = require("socket.http")
local ltn12 = require("ltn12")
local function rss()
  local f = assert(io.open("/proc/self/status", "r"))
  local s = f:read("a")
  f:close()
  return tonumber(s:match("VmRSS:%s*(%d+)"))
end

local function fetch(size, sink)
  if arg[3] ~= "gzip-in-gsub" then return http.request{ url = arg[1] .. "/stream/" .. size, sink = sink } end
  local slow = function(chunk, err)
    if chunk then for _ = 1, 3000 do local _ = chunk:byte(1) end end
    return sink(chunk, err)
  end
  local r, code
  string.gsub("x", "x", function()
    r, code = http.request{ url = arg[1] .. "/gzip/" .. size, sink = slow, compressed = true }
  end)
  return r, code
end

-- Warm up with 16 MiB through the same path: the first request starts the I/O host (for
-- gzip-in-gsub: the host thread), and the first megabytes grow the JIT, wasm and socket buffers once
-- (measured: ~35 MB after 8 MiB, then only ~+10 MB per 4x more data from V8 heap sizing). The
-- baseline is the steady state after that.
assert(fetch(16 * 1048576, ltn12.sink.file(assert(io.open("/dev/null", "wb")))))
collectgarbage()
local before = rss()
local n = 0
local devnull = ltn12.sink.file(assert(io.open("/dev/null", "wb")))
local counting = function(chunk, err)
  if chunk then n = n + #chunk end
  return devnull(chunk, err)
end
local r, code = fetch(arg[2], counting)
collectgarbage()
local after = rss()
print("result", r, code)
print("bytes", n)
print("rss-before-kb", before)
print("rss-after-kb", after)
