-- `cjson.safe`: lua-cjson 2.1.0's protected variant (nil, message instead of errors), with its own settings.
return require("luahttp.json").new(true)
