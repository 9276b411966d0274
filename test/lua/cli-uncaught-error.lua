-- An uncaught error: message on stderr, exit code 1; stdout printed before it survives.
local http = require("socket.http")
local _, code = http.request(arg[1] .. "/get")
print("got", code)
error("uncaught failure after a request")
