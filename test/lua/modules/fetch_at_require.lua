-- Makes a request at require time (used by context-require-time.lua).
local http = require("socket.http")
local body, code = http.request(FETCH_BASE .. "/anything/required")
LOADS = (LOADS or 0) + 1
return { code = code, url = body:match('"url": "([^"]*)"'), loads = LOADS }
