-- cqueues.promise on luahttp's tasks (issue 15): new([f, ...]) (f runs as a function of the running
-- controller and its results or error settle the promise), type, p:set(ok, ...), p:get([timeout])
-- (the values; the error raised again when rejected; nothing while still pending), p:wait([timeout]),
-- p:status() ("pending", "fulfilled", "rejected"), tostring(p) and p() as get. Written for luahttp
-- from cqueues 20200726's documented behaviour.
local cqueues = require("cqueues")
local condition = require("cqueues.condition")

local setmetatable, getmetatable, select, pcall, error, tostring = setmetatable, getmetatable, select, pcall, error, tostring
local pack, unpack = table.pack, table.unpack

local M = {}
M.__index = M

function M.new(f, ...)
  local self = setmetatable({ pollfd = condition.new(), state = "pending" }, M)
  if f then
    -- As cqueues: outside a controller's function there is none to run f (an index error).
    cqueues.running():wrap(function(...) self:set(pcall(f, ...)) end, ...)
  end
  return self
end

function M.type(x)
  if getmetatable(x) == M then return "promise" end
  return nil
end

function M:set(ok, ...)
  if self.state ~= "pending" then error("attempt to set value of resolved promise", 2) end
  if ok then
    self.state = "fulfilled"
    self.values = pack(...)
  else
    self.state = "rejected"
    self.reason = ...
  end
  self.pollfd:signal()
end

function M:wait(timeout)
  if self.state == "pending" then self.pollfd:wait(timeout) end
  if self.state ~= "pending" then return self end
  return nil
end

function M:get(timeout)
  self:wait(timeout)
  if self.state == "fulfilled" then return unpack(self.values, 1, self.values.n) end
  if self.state == "rejected" then return error(self.reason, 2) end
end

function M:status()
  return self.state
end

function M:__tostring()
  return tostring(self:get())
end

function M:__call()
  return self:get()
end

return M
