-- DELIBERATE DIFFERENCES of the built-in cjson (lua/luahttp/json.lua) from lua-cjson 2.1.0's C module;
-- everything else is compared with native in test/lua/cjson-api.lua and cjson-random.lua.
local cjson = require("cjson")
-- 1. cjson.null prints as "userdata: (nil)" like glibc's "%p", through a metatable shared by all
--    light userdata (WebAssembly's libc prints "0"); lua5.4 has none, so getmetatable gives nil there.
print(tostring(cjson.null), type(getmetatable(cjson.null)))
-- 2. An error raised by a C function keeps its caller's position even when the call is a tail call;
--    cjson's functions are Lua code here, and a Lua tail call drops the caller's frame (as for io).
--    lua5.4 prints "...cjson-differences.lua:10: Cannot serialise function: type not supported".
print(pcall(function() return cjson.encode(print) end))
print(pcall(function() local s = cjson.encode(print) return s end))
