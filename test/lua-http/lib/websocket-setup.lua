-- Shared head of the websocket-* scripts (run by native lua5.4 + lua-http and by luahttp alike):
-- close() waits for the server's answering close frame (lua-http: 3 s), made generous so that a loaded
-- machine still sees the answer; the server's URLs are the arguments that start with ws:// and wss://
-- (their positions shift as the harness grows).
local websocket = require "http.websocket"
websocket.methods.close_timeout = 30
local WS, WSS
for _, a in ipairs(arg) do
  if a:match("^ws://") then WS = a elseif a:match("^wss://") then WSS = a end
end
return websocket, WS, WSS
