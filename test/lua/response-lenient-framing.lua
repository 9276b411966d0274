-- Responses LuaSocket reads although they bend HTTP/1.1's grammar: bare-LF line ends, whitespace
-- before a chunk extension, an obs-fold header line (joined to the value, spaces kept).
local http = require("socket.http")
local ltn12 = require("ltn12")
for _, path in ipairs { "/bare-lf", "/bare-lf-chunk-data", "/chunk-ext-space", "/folded" } do
  local t = {}
  local ok, code, h = http.request { url = arg[2] .. path, sink = ltn12.sink.table(t) }
  local names = {}
  for k, v in pairs(h or {}) do names[#names + 1] = k .. "=" .. string.format("%q", v) end
  table.sort(names)
  print(path, ok, code, #t, string.format("%q", table.concat(t)), table.concat(names, " "))
end
