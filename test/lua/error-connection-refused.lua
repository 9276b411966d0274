-- Nothing listens on arg[3]: nil, "connection refused" in both forms.
local http = require("socket.http")
print(http.request(arg[3] .. "/get"))
print(http.request{ url = arg[3] .. "/get" })
print(select("#", http.request(arg[3])))
