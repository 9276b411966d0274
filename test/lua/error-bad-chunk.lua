-- An invalid chunk size in a chunked response.
local http = require("socket.http")
print(http.request(arg[2] .. "/bad-chunk"))
