-- A failing task nobody waited for is reported at exit; an unfinished task is cancelled (its
-- to-be-closed variable runs) when the main chunk ends.
local lh = require "luahttp"
local http = require "socket.http"
local base = arg[1]
lh.spawn(function() error("nobody waited for me") end)
lh.spawn(function()
  local guard <close> = setmetatable({}, { __close = function() io.stdout:write("cancelled task closed\n") end })
  http.request(base .. "/barrier/99")
  print("never printed")
end)
print("main ends")
