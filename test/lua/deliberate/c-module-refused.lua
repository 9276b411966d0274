-- DELIBERATE DIFFERENCE. lua5.4 loads a C module (a .so found on package.cpath) into the process;
-- luahttp's Lua runs in WebAssembly and cannot, so `require` stops with a message that says so and
-- names what to use instead (cjson and lfs are built in, pure-Lua modules load from package.path).
-- A well-known C module that is not installed at all gets the usual "not found" list plus a hint.
-- Any existing file stands for the .so here: luahttp never opens it.
package.cpath = "test/lua/support/?.lua"
print(pcall(require, "show"))
print(pcall(require, "show.inner"))
package.cpath = "test/lua/support/?.lua;test/lua/support/lpeg/?.so"
print(select(2, pcall(require, "lpeg")))
-- The built-in replacements load from package.preload.
print(select(2, require("cjson")), select(2, require("cjson.safe")))
