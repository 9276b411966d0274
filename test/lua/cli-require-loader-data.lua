-- require returns the module and the loader data (the file path) as a 2nd value.
local dir = arg[0]:match("^(.*)/[^/]*$") or "."
package.path = dir .. "/modules/?.lua;" .. package.path
local m, where = require("plain_module")
print(m.name, m.path and m.path:match("[^/]*$"), where and where:match("[^/]*$"))
print(select("#", require("plain_module")))
local ok, err = pcall(require, "no_such_module_xyz")
print(ok, (err:match("module 'no_such_module_xyz' not found")))
print(package.loaded["plain_module"] == m, require("string") == string)
