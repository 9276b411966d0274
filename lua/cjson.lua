-- `cjson`: lua-cjson 2.1.0's module, built into luahttp (lua/luahttp/json.lua).
return require("luahttp.json").new(false)
