-- An unresolvable host gives getaddrinfo's EAI_NONAME text, not the manual's "host not found".
local http = require("socket.http")
print(http.request("http://nonexistent.invalid/"))
print(http.request{ url = "http://nonexistent.invalid:8080/x" })
