-- Framing LuaSocket reads although llhttp refuses it as it comes: chunk extensions with blanks and
-- quoted values, a chunk-size line ended by a bare LF, `Content-Length: 5<TAB>`, `5, 5`, a repeated
-- Content-Length, and the same forms cut across socket reads. Body, pieces and headers as native.
local http = require("socket.http")
local ltn12 = require("ltn12")
local paths = { "/chunk-ext-quoted", "/chunk-size-bare-lf", "/cl-trailing-tab", "/cl-list-equal",
  "/cl-repeated-equal", "/odd-framing-split", "/chunk-lines-split" }
for _, path in ipairs(paths) do
  local t = {}
  local ok, code, h, status = http.request { url = arg[2] .. path, sink = ltn12.sink.table(t) }
  local names = {}
  for k, v in pairs(h or {}) do names[#names + 1] = k .. "=" .. string.format("%q", v) end
  table.sort(names)
  print(path, ok, code, status, #t, string.format("%q", table.concat(t)), table.concat(names, " "))
end
