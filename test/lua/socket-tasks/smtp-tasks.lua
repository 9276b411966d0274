-- N tasks each send a message with socket.smtp (socket.tp underneath) through a barrier that joins
-- no connection to the SMTP server until all N are open: the greeting each task waits for comes
-- only when the others have connected too.
-- args: barrier-port n
local lh = require "luahttp"
local smtp = require "socket.smtp"
local port, n = tonumber(arg[1]), tonumber(arg[2])
local tasks = {}
for i = 1, n do
  tasks[i] = lh.spawn(function()
    return smtp.send {
      from = "<sender@tasks.test>",
      rcpt = { "<one@tasks.test>", "<two@tasks.test>" },
      source = smtp.message { headers = { subject = "task " .. i }, body = "hello from task " .. i .. "\r\n.dot-stuffed\r\n" },
      server = "127.0.0.1", port = port, domain = "smtp-tasks-" .. i .. ".test",
    }
  end)
end
for i, r in ipairs(lh.all(tasks)) do print(i, table.unpack(r, 1, r.n)) end
