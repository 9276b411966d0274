-- Byte-path fixture for test/vm/byte-path.test.ts: POSTs all 256 byte values and a 1 MiB
-- pseudo-random body (LCG with a fixed seed, reproduced on the Node side) to the echo server at
-- arg[1]; prints for each: name, length, Adler-32 sent, Adler-32 received, equality, server sha256.
local http = require("socket.http")
local ltn12 = require("ltn12")

local adler32 = dofile("test/lua/support/adler32.lua")

-- x = (x * 1103515245 + 12345) mod 2^31, byte = (x >> 16) & 255 — same in the test.
local function lcgBytes(seed, n)
  local x, out, buf = seed, {}, {}
  for i = 1, n do
    x = (x * 1103515245 + 12345) % 2147483648
    buf[#buf + 1] = (x >> 16) & 255
    if #buf == 4096 then
      out[#out + 1] = string.char(table.unpack(buf))
      buf = {}
    end
  end
  if #buf > 0 then out[#out + 1] = string.char(table.unpack(buf)) end
  return table.concat(out)
end

local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end

local payloads = {
  { "all-bytes", table.concat(all) },
  { "lcg-1MiB", lcgBytes(20240601, 1048576) },
}
for _, p in ipairs(payloads) do
  local name, body = p[1], p[2]
  local t = {}
  local r, code, h = http.request{ url = arg[1] .. "/echo", method = "POST",
    headers = { ["content-length"] = #body, ["content-type"] = "application/octet-stream" },
    source = ltn12.source.string(body), sink = ltn12.sink.table(t) }
  local back = table.concat(t)
  print(name, #body, adler32(body), adler32(back), back == body, code, h and h["x-sha256"])
end
-- the same bytes through the simple form
local body, code, h = http.request(arg[1] .. "/echo", table.concat(all))
print("simple-form", #body, adler32(body), body == table.concat(all), code, h["x-sha256"])
