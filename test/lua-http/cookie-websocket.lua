-- Cookies on websocket handshakes: http.websocket's request goes through the request's cookie store
-- like any http.request (lua-http's connect() is request:go()), so a cookie httpbin set for
-- 127.0.0.1 is sent to the websocket server on 127.0.0.1 (ports do not separate cookies); a
-- websocket request with its own empty store, or with cookie_store = false, sends none.
local request = require "http.request"
local websocket = require "http.websocket"
local cookie = require "http.cookie"
local base = arg[1]
local WS
for _, a in ipairs(arg) do
  if a:match("^ws://") then WS = a end
end
local h, s = request.new_from_uri(base .. "/cookies/set?session=abc"):go(10)
print("login", h:get(":status"), (s:get_body_as_string():gsub("%s+", " ")))
local function cookie_lines(label, ws)
  assert(ws:connect(5))
  local text = ws:receive(5)
  local found = {}
  for line in text:gmatch("[^\n]+") do
    if line:match("^cookie:") then found[#found + 1] = line end
  end
  print(label, #found, table.concat(found, " | "))
  ws:close()
end
cookie_lines("default store", websocket.new_from_uri(WS .. "/headers"))
local own = websocket.new_from_uri(WS .. "/headers")
own.request.cookie_store = cookie.new_store()
cookie_lines("own store", own)
local off = websocket.new_from_uri(WS .. "/headers")
off.request.cookie_store = false
cookie_lines("store off", off)
local mine = websocket.new_from_uri(WS .. "/headers")
mine.request.headers:append("cookie", "mine=1")
cookie_lines("with own cookie", mine)
