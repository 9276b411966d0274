-- DELIBERATE DIFFERENCE (wire only). LuaSocket writes every request header itself; luahttp's
-- transport is undici, which writes `host`, `content-length` and `transfer-encoding` in lower case,
-- keeps the connection alive (`connection: keep-alive`, no `TE`) and orders headers its own way.
-- Header names are case-insensitive in HTTP, so servers see the same request. What the script
-- itself gets back (codes, headers, bodies) is LuaSocket's.
-- Request headers on the wire: user keys are lowercased and override defaults (User-Agent, Host);
-- known names are re-capitalised (socket.headers.canonic), unknown ones go out lowercase; numbers
-- are concatenated.
local http = require("socket.http")
local ltn12 = require("ltn12")
local function dump(extra)
  local t = {}
  local r, code = http.request{ url = arg[2] .. "/capture", headers = extra, sink = ltn12.sink.table(t) }
  local lines = {}
  for l in table.concat(t):gmatch("[^\r\n]+") do lines[#lines + 1] = l end
  print(r, code, table.remove(lines, 1))
  table.sort(lines)
  for _, l in ipairs(lines) do print(l) end
end
dump(nil)
dump{ ["X-Api-Key"] = "secret", ["Accept"] = "text/plain", ["x-number"] = 42 }
dump{ ["USER-AGENT"] = "my-agent/1.0", ["Host"] = "example.test:1234" }
dump{ ["Content-MD5"] = "abc", ["ETag"] = "x", ["www-authenticate"] = "Basic" }
