local http = require("socket.http")
local body, code = http.request(arg[1])
print(code, #body)
