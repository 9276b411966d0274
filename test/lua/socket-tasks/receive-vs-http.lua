-- One task waits in tcp:receive for a line that another task sends only after its own HTTP request
-- has finished: the receive must block only its task. The reverse too: the main flow waits in an HTTP
-- request while a task waits in accept for a connection the main flow makes afterwards.
-- args: base-url
local lh = require "luahttp"
local socket = require "socket"
local http = require "socket.http"
local base = arg[1]
local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()

local order = {}
local reader = lh.spawn(function()
  local c = assert(socket.connect("127.0.0.1", port))
  c:settimeout(10)
  local line, err = c:receive("*l")
  order[#order + 1] = "reader got its line"
  c:close()
  return line or err
end)
local fetcher = lh.spawn(function()
  local body, code = http.request(base .. "/count")
  order[#order + 1] = "http done"
  local c = assert(server:accept())
  assert(c:send("after http: " .. tostring(body) .. " " .. tostring(code) .. "\n"))
  c:close()
  return code
end)
print("reader", reader:wait())
print("fetcher", fetcher:wait())
print(table.concat(order, ", "))

-- A task blocked in accept while the main flow makes HTTP requests; the main flow connects last.
local acceptor = lh.spawn(function()
  server:settimeout(10)
  local c, err = server:accept()
  if not c then return err end
  local line = c:receive("*l")
  c:close()
  return line
end)
local codes = {}
for i = 1, 3 do codes[i] = select(2, http.request(base .. "/count")) end
print("main http", table.concat(codes, " "))
local c = assert(socket.connect("127.0.0.1", port))
c:send("from main\n")
print("acceptor", acceptor:wait())
c:close()
server:close()
