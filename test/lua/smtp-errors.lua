-- smtp.send failures come back as nil, <the server's reply> (multi-line replies joined by "\n"),
-- or nil, "closed" when the server closes mid-reply, or the connection error; the session is
-- closed after each (the server records only what arrived before). Also the greeting refused,
-- seen through smtp.open against an in-script server.
local socket = require("socket")
local smtp = require("socket.smtp")
local ltn12 = require("ltn12")
local wire = dofile("test/lua/support/wire.lua")
local host, port = wire.hostport(arg[4])

local function send(label, domain, from, rcpt, body)
  print(label, wire.show(smtp.send {
    from = from or ("<" .. domain .. "@example.org>"), rcpt = rcpt or "<r@example.org>",
    source = ltn12.source.string(body or "Subject: x\r\n\r\nbody\r\n"),
    server = host, port = port, domain = domain,
  }))
  print(wire.visible(wire.smtpdump(host, port, domain)))
end

send("EHLO refused", "reject.smtp-errors.test")
send("EHLO reply cut", "cut.smtp-errors.test")
send("MAIL refused", "smtp-errors-mail.test", "<reject@example.org>")
send("MAIL reply cut", "smtp-errors-mailcut.test", "<cut@example.org>")
send("RCPT refused", "smtp-errors-rcpt.test", nil, { "<ok@example.org>", "<nobody@example.org>", "<never@example.org>" })
send("DATA refused", "smtp-errors-data.test", nil, nil, "X-Reject: yes\r\n\r\nno thanks\r\n")
local failing = ltn12.source.cat(ltn12.source.string("partial "), ltn12.source.error("source broke"))
print("source error", wire.show(smtp.send {
  from = "<smtp-errors-source@example.org>", rcpt = "<r@example.org>", source = failing,
  server = host, port = port, domain = "smtp-errors-source.test",
}))
print(wire.visible(wire.smtpdump(host, port, "smtp-errors-source.test")))

print("refused", wire.show(smtp.send {
  from = "<a@example.org>", rcpt = "<b@example.org>", source = ltn12.source.string("x"),
  server = "127.0.0.1", port = wire.closedport(arg[3]),
}))
print("create", wire.show(smtp.send {
  from = "<a@example.org>", rcpt = "<b@example.org>", source = ltn12.source.string("x"),
  server = host, port = port, create = function() return nil, "no socket here" end,
}))
print("no raise", wire.show(pcall(smtp.send, {
  from = "<a@example.org>", rcpt = "<b@example.org>", source = ltn12.source.string("x"),
  server = "127.0.0.1", port = wire.closedport(arg[3]),
})))

-- The greeting refused: smtp.open only connects; greet() reads the 554 and closes the session.
local server = assert(socket.bind("127.0.0.1", 0))
local _, sport = server:getsockname()
local s = smtp.open("127.0.0.1", sport)
local conn = assert(server:accept())
conn:settimeout(2)
conn:send("554-not today\r\n554 go away\r\n")
print("greet refused", wire.show(socket.protect(function() return s:greet("x.test") end)()))
print("closed by the failure", wire.show(s.tp:getcontrol():getfd()), wire.show(conn:receive()))
conn:close()
-- A try-error outside protect is a table (LuaSocket's exception); not printed as an address.
local s2 = smtp.open("127.0.0.1", sport)
local conn2 = assert(server:accept())
conn2:close()
local ok, e = pcall(s2.greet, s2)
print("raw exception", ok, type(e), type(e) == "table" and e[1])
server:close()
