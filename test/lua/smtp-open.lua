-- smtp.open's session object step by step against the loopback server: greet returns the EHLO
-- reply, mail/rcpt/data/quit return code and reply, auth's choices, send() with a recipient list,
-- close; the object's fields. What went over the wire printed from the server's record.
local socket = require("socket")
local smtp = require("socket.smtp")
local ltn12 = require("ltn12")
local wire = dofile("test/lua/support/wire.lua")
local host, port = wire.hostport(arg[4])
local show = wire.show

local s = smtp.open(host, port)
print("fields", type(s.tp), type(s.try), tostring(s.tp:getcontrol()):match("^[^:]+"))
print("greet", show(s:greet("smtp-open-steps.test")))
print("auth none", show(s:auth(nil, "x", "")))
print("auth", show(s:auth("luser", "secret", "250-x\n250-AUTH PLAIN LOGIN")))
print("mail", show(s:mail("<steps@example.org>")))
print("rcpt", show(s:rcpt("<a@example.org>")))
print("rcpt", show(s:rcpt("b@example.org")))
local steps = 0
print("data", show(s:data(ltn12.source.string("Subject: steps\r\n\r\n.not stuffed by data()\r\n"),
  function(src, snk) steps = steps + 1 return ltn12.pump.step(src, snk) end)))
print("steps", steps)
print("mail again", show(s:mail("<second@example.org>")))
print("send", show(s:send { from = "<third@example.org>", rcpt = { "<c@example.org>" }, source = ltn12.source.string(".stuffed by send()\r\n") }))
print("quit", show(s:quit()))
print("close", show(s:close()))
print(wire.visible(wire.smtpdump(host, port, "smtp-open-steps.test")))

-- plain(), login() called directly, and auth() with the PLAIN-only line.
s = smtp.open(host, port)
s:greet("smtp-open-auth.test")
print("plain", show(s:plain("luser", "secret")))
print("login", show(s:login("luser", "secret")))
print("auth plain only", show(s:auth("luser", "secret", "250-AUTH PLAIN\n250 OK")))
print("auth other line", show(socket.protect(function() return s:auth("luser", "secret", "250-LOGIN\n250 AUTH") end)()))
print("after failure", show(s.tp:getcontrol():getfd()))
print(wire.visible(wire.smtpdump(host, port, "smtp-open-auth.test")))

print("open refused", show(socket.protect(smtp.open)("127.0.0.1", wire.closedport(arg[3]))))
