-- skip / newtry / try / protect: LuaSocket's C core (system run) against
-- lua/socket/helpers.lua (our run), merged into the socket.core table the way luahttp's JS
-- socket.core merges them, so lauxlib-style names ('socket.skip') come out the same.
-- Under luahttp, socket.core already holds them (lua/runtime/socket-core.lua).
local H = require("harness")
local socket = require("socket")
local core = require("socket.core")
if H.luahttp() then
  H.expect_source("socket.core", core.protect)
elseif H.ours then
  local helpers = require("socket.helpers")
  package.loaded["socket.helpers"] = nil
  for k, v in pairs(helpers) do core[k] = v end
  H.expect_source("socket.helpers", core.protect)
else
  H.expect_source("socket.core", core.protect)
end
local skip, newtry, try, protect = core.skip, core.newtry, core.try, core.protect

local show, check, case = H.show, H.check, H.case

-- skip --------------------------------------------------------------------------------------
local amounts = { 0, 1, 2, 3, 4, 5, -1, 2 ^ 32 + 1, math.mininteger, -2 ^ 31, 2 ^ 31, "2", "0x2", " 1 ", 1.0,
  "1.0", 2 ^ 33 }
for i, n in ipairs(amounts) do
  check("skip " .. show(n), skip, n, "a", nil, "c")
end
check("skip all nil", skip, 1, nil, nil)
check("skip only n", skip, 0)
for i, v in ipairs({ 1.5, "x", {}, true, setmetatable({}, { __name = "Foo" }), io.stdout, "1.5", 0 / 0, 1e100 }) do
  check("skip bad pcall " .. i, skip, v, "a")
  -- not `return core.skip(...)`: a Lua function reached by a tail call has lost its call-site
  -- name and line, so that one form reports differently from the C function (see README)
  check("skip bad field " .. i, function() local r = core.skip(v, "a"); return r end)
  check("skip bad local " .. i, function() local r = skip(v, "a"); return r end)
end
check("skip nil", skip, nil)
check("skip none", skip)
check("skip none field", function() local r = core.skip(); return r end)
check("skip method", function() local r = core:skip(1); return r end)
check("skip method ok", function() local r = socket:skip(1, 2); return r end)

-- try / newtry ------------------------------------------------------------------------------
check("try ok", try, 1, 2, nil, 4)
check("try ok count", function() return select("#", try(1, 2, nil)) end)
check("try string first", try, "x")
check("try 0", try, 0)
check("try nil msg", try, nil, "msg")
check("try false msg", try, false, "msg", "extra")
check("try nil", try, nil)
check("try none", try)
check("try table msg", try, nil, { code = 1 })
do
  local ok, e = pcall(try, nil, "x")
  case("exception shape", show(e) .. " getmetatable=" .. show(getmetatable(e)) .. " #=" .. #e)
  local ok2, e2 = pcall(newtry(function() end), nil, "y")
  case("exception metatable shared", show(debug.getmetatable(e) == debug.getmetatable(e2)))
  case("exception tostring is table", show(tostring(e):match("^table: ") ~= nil))
  local mt = debug.getmetatable(e)
  local fields = {}
  for k, v in pairs(mt) do fields[#fields + 1] = tostring(k) .. "=" .. tostring(v) end
  table.sort(fields)
  case("exception metatable fields", table.concat(fields, " "))
  check("forged exception", protect(function() error(setmetatable({ "forged" }, mt)) end))
  e[1] = "changed"
  check("modified exception", protect(function() error(e) end))
  check("plain table is not an exception", protect(function() error({ "plain" }) end))
end

local finalized = {}
local function finalizer(...)
  finalized[#finalized + 1] = select("#", ...)
end
local t1 = newtry(finalizer)
check("newtry ok", t1, "v", "w")
case("finalizer not called", show(#finalized))
check("newtry fail", t1, nil, "why", "more")
case("finalizer called once with no args", show(finalized))
check("newtry finalizer error", newtry(function() error("fin broke") end), nil, "m")
check("newtry finalizer error table", newtry(function() error({ "fin" }) end), nil, "m")
check("newtry finalizer error in protect", protect(function() newtry(function() error("fin2", 0) end)(nil, "m") end))
check("newtry number finalizer", newtry(42), nil, "e")
check("newtry number finalizer ok", newtry(42), 1)
check("newtry false finalizer", newtry(false), nil, "e")
check("newtry string finalizer", newtry("s"), nil, "e")
check("newtry callable table", newtry(setmetatable({}, { __call = function() finalized[#finalized + 1] = "called" end })), nil, "e")
case("callable finalizer ran", show(finalized[#finalized]))
check("newtry callable table error", newtry(setmetatable({}, { __call = function() error("in __call", 0) end })), nil, "e")
check("newtry nil", newtry(nil), nil, "e")
check("newtry none", newtry(), nil, "e")
check("newtry extra args", function() return newtry(nil, 2, 3) ~= nil end)

-- protect -----------------------------------------------------------------------------------
check("protect passes results", protect(function(...) return ... end), 1, nil, 3, nil)
check("protect no results", protect(function() end))
check("protect try", protect(function() try(nil, "boom") end))
check("protect try nil", protect(function() try(nil) end))
check("protect try false", protect(function() try(false) end))
check("protect try table", protect(function() try(nil, { 1, 2 }) end))
check("protect string error", protect(function() error("str") end))
check("protect string error level 0", protect(function() error("str", 0) end))
check("protect nil error", protect(function() error(nil) end))
check("protect number error", protect(function() error(42) end))
check("protect table error", protect(function() error({ "t" }) end))
check("protect runtime error", protect(function() local x = nil; return x.field end))
check("protect nil f", protect(nil))
check("protect number f", protect(1))
check("protect none", function() return type(protect()) end)
check("protect args", protect(function(a, b, ...) return b, a, select("#", ...) end), "a", "b", nil, nil)
do
  local t = {}
  local ok, e = pcall(protect(function() error(t) end))
  case("protect rethrows the same object", show(ok) .. " " .. show(rawequal(e, t)))
end
check("nested protect", protect(function()
  local r, e = protect(function() try(nil, "inner") end)()
  try(nil, "outer after " .. tostring(e))
end))
check("protect inner error escapes", protect(function()
  return protect(function() error("inner plain", 0) end)()
end))
do
  local co = coroutine.wrap(protect(function(a)
    local b = coroutine.yield(a + 1)
    local c = coroutine.yield(b * 2)
    try(nil, "after yields " .. b .. " " .. c)
  end))
  check("yield 1", co, 1)
  check("yield 2", co, 5)
  check("yield 3", co, 7)
  local co2 = coroutine.wrap(protect(function()
    coroutine.yield("y")
    error("plain after yield", 0)
  end))
  check("yield then error 1", co2)
  check("yield then error 2", co2)
  -- (a finalizer that yields is not compared: the C core calls it without a continuation,
  -- so LuaSocket raises "attempt to yield across a C-call boundary" where ours just yields)
end

-- the try/protect idiom as LuaSocket's own modules use it
local function fetch(ok)
  local closed = false
  local t = newtry(function() closed = true end)
  return protect(function()
    t(ok, "fetch failed")
    return "body", 200
  end)(), closed
end
check("idiom ok", fetch, true)
check("idiom fail", function() local a, b = fetch(false); return a, b end)

H.finish()
