-- A POST (any request with a source) is never redirected, nor is a method other than GET/HEAD.
local http = require("socket.http")
local ltn12 = require("ltn12")
local body, code, h = http.request(arg[1] .. "/redirect-to?url=%2Fget&status_code=302", "x=1")
print("simple POST", code, h["location"], #body)
local r
r, code, h = http.request{ url = arg[1] .. "/redirect-to?url=%2Fget&status_code=307", method = "PUT",
  headers = { ["content-length"] = 1 }, source = ltn12.source.string("y") }
print("PUT", r, code, h["location"])
r, code, h = http.request{ url = arg[1] .. "/redirect-to?url=%2Fget&status_code=302", method = "DELETE" }
print("DELETE", r, code, h["location"])
r, code, h = http.request{ url = arg[1] .. "/redirect-to?url=%2Fget&status_code=302", method = "get" }
print("get", r, code, h["location"])
r, code, h = http.request{ url = arg[1] .. "/redirect-to?url=%2Fget&status_code=302", source = ltn12.source.empty() }
print("GET with source", r, code, h["location"])
