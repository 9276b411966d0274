-- A failed non-blocking connect leaves its error pending on the socket (SO_ERROR), as in the
-- Programming in Lua dispatcher: select() reports the socket writable, then getoption("error") gives
-- the error once (nil afterwards) and the next connect() says "closed"; or the next connect() itself
-- reports it. A fresh connect after that starts over.
local socket = require("socket")
-- Nothing listens on port 1 (tcpmux): connects are refused. (A port freed by closing a bound socket
-- could be taken by another test's socket meanwhile.)
local port = 1

local function failing()
  local t = assert(socket.tcp())
  t:settimeout(0)
  print("connect", t:connect("127.0.0.1", port))
  local _, writable, err = socket.select(nil, { t }, 5)
  print("select", #writable, err)
  return t
end

print("fresh getoption", socket.tcp():getoption("error"))
local t = failing()
print("getoption", t:getoption("error"))
print("getoption again", t:getoption("error"))
print("connect after getoption", t:connect("127.0.0.1", port))
print("connect anew", t:connect("127.0.0.1", port))
local _, writable = socket.select(nil, { t }, 5)
print("select", #writable)
print("getoption", t:getoption("error"))
t:close()

t = failing()
print("connect reports it", t:connect("127.0.0.1", port))
print("getoption after connect", t:getoption("error"))
print("connect anew", t:connect("127.0.0.1", port))
_, writable = socket.select(nil, { t }, 5)
print("select", #writable)
print("connect reports it", t:connect("127.0.0.1", port))
t:close()

-- a blocking connect reports its error itself: nothing stays pending
t = assert(socket.tcp())
t:settimeout(5)
print("blocking connect", t:connect("127.0.0.1", port))
print("getoption", t:getoption("error"))
t:close()
