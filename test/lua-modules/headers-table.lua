-- socket.headers: the module holds only `canonic`, with LuaSocket's 91 entries.
local H = require("harness")
local headers = require("socket.headers")
local socket = require("socket")
H.expect_file("socket.headers")

local keys = {}
for k, v in pairs(headers) do keys[#keys + 1] = k .. ":" .. type(v) end
table.sort(keys)
H.case("module fields", table.concat(keys, " "))
local names = {}
for k in pairs(headers.canonic) do names[#names + 1] = k end
table.sort(names)
H.case("entries", tostring(#names))
for _, k in ipairs(names) do H.case("canonic " .. k, H.show(headers.canonic[k])) end
H.case("registered as socket.headers", H.show(socket.headers == headers))
H.case("unknown", H.show(headers.canonic["x-api-key"]))
-- the other load order: url after socket registers itself
local url = require("socket.url")
H.case("url registered as socket.url", H.show(socket.url == url))
H.finish()
