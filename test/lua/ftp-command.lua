-- ftp.command: one command with an optional check, or lists of commands, arguments and checks;
-- returns 1 after QUIT; a failed check is nil, <reply>; "missing command"/"missing hostname";
-- the url field; the commands as the server recorded them.
local ftp = require("socket.ftp")
local wire = dofile("test/lua/support/wire.lua")
local base = arg[5]
local host, port = wire.hostport(base)
local show = wire.show

print("single", show(ftp.command { host = host, port = port, command = "cwd", argument = "pub", check = 250, user = "ftp-cmd-single" }))
print(wire.visible(ftp.get(base .. "/.transcript/ftp-cmd-single")))
-- Without a check the reply stays unread: QUIT's check then reads it (and fails on the 500).
print("no check", show(ftp.command { host = host, port = port, command = "bogus", user = "ftp-cmd-nocheck" }))
print(wire.visible(ftp.get(base .. "/.transcript/ftp-cmd-nocheck")))
print("list", show(ftp.command {
  host = host, port = port, user = "ftp-cmd-list",
  command = { "cwd", "pwd", "size", "noop", "dele" },
  argument = { "/pub", nil, "readme.txt", nil, "/pub/readme.txt" },
  check = { 250, "257", { "2..", "3.." }, 200, "5.." },
}))
print(wire.visible(ftp.get(base .. "/.transcript/ftp-cmd-list")))
print("function check", show(ftp.command {
  host = host, port = port, command = "syst",
  check = function(code, reply) print("check saw", math.type(code), code, reply) return code end,
}))
print("failed check", show(ftp.command { host = host, port = port, command = "cwd", argument = "nowhere", check = 250 }))
print("failed in list", show(ftp.command { host = host, port = port, command = { "noop", "cwd", "noop" }, argument = { nil, "nowhere" }, check = { 200, 250, 200 } }))
print("multi-line reply", show(ftp.command { host = host, port = port, command = "help", check = "5.." }))
print("url field", show(ftp.command { url = base .. "/ignored", command = "noop", check = 200, user = "ftp-cmd-url" }))
print(wire.visible(ftp.get(base .. "/.transcript/ftp-cmd-url")))
print("missing command", show(ftp.command { host = host, port = port }))
print("missing hostname", show(ftp.command { command = "noop" }))
print("refused", show(ftp.command { host = "127.0.0.1", port = wire.closedport(arg[3]), command = "noop" }))
