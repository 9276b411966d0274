-- Chunked response with a trailer: body assembled, trailer read and discarded.
local http = require("socket.http")
local body, code, h = http.request(arg[2] .. "/trailers")
print(body, code, h["transfer-encoding"], h["trailer"], h["x-trailer"])
