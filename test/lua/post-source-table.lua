-- ltn12.source.table and ltn12.source.cat as request bodies (with content-length).
local http = require("socket.http")
local ltn12 = require("ltn12")
local pieces = { "alpha,", "beta,", "gamma" }
local t = {}
local r, code = http.request{
  url = arg[1] .. "/anything/table", method = "PUT",
  headers = { ["content-length"] = #table.concat(pieces), ["content-type"] = "text/plain" },
  source = ltn12.source.table(pieces), sink = ltn12.sink.table(t),
}
print(r, code)
io.write(table.concat(t))
t = {}
r, code = http.request{
  url = arg[1] .. "/anything/cat", method = "POST",
  headers = { ["content-length"] = 6, ["content-type"] = "text/plain" },
  source = ltn12.source.cat(ltn12.source.string("abc"), ltn12.source.string("def")), sink = ltn12.sink.table(t),
}
print(r, code)
io.write(table.concat(t))
