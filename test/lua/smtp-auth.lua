-- smtp.send authentication as LuaSocket 3.1.0 chooses it from the EHLO reply: LOGIN when an AUTH
-- line lists it (even if PLAIN is listed too), else PLAIN, else "authentication not supported";
-- no AUTH at all without both user and password; a refused login ends with the 535 reply.
local smtp = require("socket.smtp")
local ltn12 = require("ltn12")
local wire = dofile("test/lua/support/wire.lua")
local host, port = wire.hostport(arg[4])

local function send(domain, user, password, from)
  return smtp.send {
    from = from or ("<" .. domain .. "@example.org>"), rcpt = "<r@example.org>",
    source = ltn12.source.string("Subject: auth\r\n\r\nbody\r\n"),
    server = host, port = port, domain = domain, user = user, password = password,
  }
end

local function session(label, domain, user, password)
  print(label, wire.show(send(domain, user, password)))
  print(wire.visible(wire.smtpdump(host, port, domain)))
end

session("login", "smtp-auth-login.test", "luser", "secret")
session("login refused", "smtp-auth-bad.test", "luser", "wrong")
session("plain", "plain.smtp-auth-ok.test", "luser", "secret")
session("plain refused", "plain.smtp-auth-refused.test", "luser", "nope")
session("plain odd bytes", "plain.smtp-auth-odd.test", "l\195\188ser", "p\0ss")
session("no mechanism", "noauth.smtp-auth-none.test", "luser", "secret")
session("no credentials", "noauth.smtp-auth-nocred.test", nil, nil)
session("user only", "smtp-auth-useronly.test", "luser", nil)
session("password only", "smtp-auth-passonly.test", nil, "secret")
