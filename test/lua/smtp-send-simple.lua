-- smtp.send with a message built by smtp.message: one recipient as a string, then a list; what went
-- over the wire (EHLO, MAIL/RCPT arguments as given, the DATA bytes with dot-stuffing and the
-- CRLF.CRLF terminator, QUIT) as the loopback server recorded it. The message's Date header and
-- header order are made deterministic (wire.pinclock, wire.sortheaders: see test/lua/support/wire.lua).
local smtp = require("socket.smtp")
local ltn12 = require("ltn12")
local wire = dofile("test/lua/support/wire.lua")
local host, port = wire.hostport(arg[4])
wire.pinclock()

local mesgt = {
  headers = { to = "Bob <bob@example.org>", subject = "Hello", From = "Alice <alice@example.org>" },
  body = "Line one.\r\n.starts with a dot\r\n..two dots\r\nlast line without CRLF",
}
local r = { smtp.send {
  from = "<alice@example.org>",
  rcpt = "<bob@example.org>",
  source = smtp.message(mesgt),
  server = host, port = port, domain = "smtp-send-simple.test",
} }
print("send", wire.show(table.unpack(r)))
print("headers now", wire.show(mesgt.headers.subject, mesgt.headers["mime-version"], mesgt.headers.from, mesgt.headers.From))
print(wire.visible(wire.sortheaders(wire.smtpdump(host, port, "smtp-send-simple.test"))))

-- A recipient list, a plain string source (sent as is, only dot-stuffed), a custom step.
local steps = 0
print("send list", wire.show(smtp.send {
  from = "<list-sender@example.org>",
  rcpt = { "<one@example.org>", "<two@example.org>", "three@example.org" },
  source = ltn12.source.string(".\r\nSubject: raw\r\n\r\nbody\r\n.\r\nend\r\n"),
  step = function(src, snk) steps = steps + 1 return ltn12.pump.step(src, snk) end,
  server = host, port = port, domain = "smtp-send-list.test",
}))
print("steps > 0", steps > 0)
print(wire.visible(wire.smtpdump(host, port, "smtp-send-list.test")))

-- An empty message source.
print("send empty", wire.show(smtp.send {
  from = "<empty@example.org>", rcpt = "<r@example.org>", source = ltn12.source.empty(),
  server = host, port = port, domain = "smtp-send-empty.test",
}))
print(wire.visible(wire.smtpdump(host, port, "smtp-send-empty.test")))
