-- ltn12.sink.file(io.open(...)) receives the body and closes the handle at the end.
local http = require("socket.http")
local ltn12 = require("ltn12")
local name = os.tmpname()
local fh = assert(io.open(name, "wb"))
local r, code = http.request{ url = arg[1] .. "/base64/aGVsbG8gZnJvbSBhIGZpbGUgc2luaw==", sink = ltn12.sink.file(fh) }
print(r, code, io.type(fh))
local f = assert(io.open(name, "rb"))
print(string.format("%q", f:read("a")))
f:close()
os.remove(name)
