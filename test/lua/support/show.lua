-- Value printing shared by the socket differential scripts (loaded with dofile, so native lua5.4 and
-- luahttp run the same code; the runner's working directory is the repository root).
local M = {}

--- Values as "n: v1 v2 …": strings quoted with %q, other values by tostring with addresses masked.
function M.show(...)
  local t = table.pack(...)
  for i = 1, t.n do
    local v = t[i]
    t[i] = type(v) == "string" and string.format("%q", v) or tostring(v):gsub("0x%x+", "ADDR")
  end
  return t.n .. ": " .. table.concat(t, " ", 1, t.n)
end

--- pcall(f, ...) → ok, the error text without its position and with the function name in
--- "bad argument" messages replaced by 'F' (LuaSocket itself alternates between 'socket.x' and
--- 'socket.core.x': the same table under two package.loaded keys, found in hash order).
function M.err(f, ...)
  local ok, e = pcall(f, ...)
  return ok, (tostring(e):gsub("^.-:%d+: ", ""):gsub("'[%w.]*' %(", "'F' ("))
end

return M
