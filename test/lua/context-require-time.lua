-- A module that makes a request while it is being required (package.path relative to the script).
local dir = arg[0]:match("^(.*)/[^/]*$") or "."
package.path = dir .. "/modules/?.lua;" .. package.path
FETCH_BASE = arg[1]
local m = require("fetch_at_require")
print(m.code, m.url)
print(require("fetch_at_require") == m, m.loads)
