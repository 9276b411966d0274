-- Inside tasks, socket calls where Lua cannot yield (a string.gsub callback, a table.sort comparator,
-- a __tostring metamethod, a require-time chunk) block as LuaSocket's do and give the same results;
-- socket calls inside the script's own coroutines (coroutine.wrap) wait by yielding through them.
-- The last part proves the latter: a task reading through a coroutine.wrap'd line iterator waits at
-- a barrier that joins nobody until a second connection is open, which another task makes only once
-- the first is inside that wrapped receive.
-- args: echo-port barrier-port
local lh = require "luahttp"
local socket = require "socket"
local echo, barrier = tonumber(arg[1]), tonumber(arg[2])

local function exchange(port, text)
  local c = assert(socket.connect("127.0.0.1", port))
  c:settimeout(10)
  assert(c:send(text .. "\n"))
  local line, err = c:receive("*l")
  c:close()
  return line or err
end

local t = lh.spawn(function()
  local out = {}
  out[#out + 1] = (string.gsub("gsub", "%w+", function(w) return exchange(echo, w) end))
  local items = { "b", "a" }
  local compared
  table.sort(items, function(x, y) compared = compared or exchange(echo, "sort"); return x < y end)
  out[#out + 1] = compared
  out[#out + 1] = tostring(setmetatable({}, { __tostring = function() return exchange(echo, "tostring") end }))
  package.preload["socket-tasks-required"] = function() return exchange(echo, "require") end
  out[#out + 1] = require("socket-tasks-required")
  return table.concat(out, " | ")
end)
print("c boundaries", t:wait())

local reading = false
local function lines(c)
  return coroutine.wrap(function()
    for i = 1, 2 do
      reading = true
      local line = c:receive("*l")
      coroutine.yield(i, line)
    end
  end)
end
local a = lh.spawn(function()
  local c = assert(socket.connect("127.0.0.1", barrier))
  c:settimeout(10)
  assert(c:send("one\ntwo\n"))
  local got = {}
  for i, line in lines(c) do got[#got + 1] = i .. "=" .. tostring(line) end
  c:close()
  return table.concat(got, " ")
end)
local b = lh.spawn(function()
  while not reading do lh.sleep(0.01) end
  return exchange(barrier, "plain")
end)
print("wrapped", a:wait())
print("plain", b:wait())
