-- The differential fuzz client: requests cases first..last of a seed from the fuzz server
-- (test/servers/fuzz-responses.ts) and prints one line per case: what http.request returned, the
-- status line, the headers (sorted), the body and how many strings the sink got. Bytes outside
-- printable ASCII are shown as \xHH, so each case stays one line. Args: base URL, seed, first, last.
local http = require("socket.http")
local ltn12 = require("ltn12")
http.TIMEOUT = 0.5

local function show(s)
  if type(s) ~= "string" then return tostring(s) end
  return (s:gsub("[^\32-\126]", function(c) return string.format("\\x%02x", c:byte()) end))
end

local base, seed, first, last = arg[1], arg[2], tonumber(arg[3]), tonumber(arg[4])
for n = first, last do
  local t = {}
  -- pcall: LuaSocket itself raises on some inputs (trailers after a chunked body that also had a
  -- Content-Length index a number); the message is part of the result.
  local done, ok, code, h, status = pcall(http.request, { url = base .. "/" .. seed .. "/" .. n, sink = ltn12.sink.table(t) })
  if not done then ok, code = "raised", (ok:gsub("^.-:%d+: ", "")) end
  local hs = {}
  for k, v in pairs(type(h) == "table" and h or {}) do hs[#hs + 1] = show(k) .. "=" .. show(v) end
  table.sort(hs)
  print(n, show(ok), show(code), show(status), table.concat(hs, " "), #t, show(table.concat(t)))
end
