-- Helpers of the tp/smtp/ftp differential scripts (loaded with dofile, so both interpreters run the
-- same code): server addresses from the script arguments, value printing, the SMTP server's
-- transcripts, and the two normalisations those scripts need.
local socket = require("socket")

local wire = {}

--- host, port (string) of a "scheme://host:port" argument.
function wire.hostport(u)
  return u:match("^%a+://([^:/]+):(%d+)")
end

--- A port nothing listens on (from the closed-port URL, arg[3]).
function wire.closedport(u)
  return u:match(":(%d+)$")
end

--- Values as "n: v1 v2 …": strings quoted (CR and LF visible), numbers with their math type's look.
function wire.show(...)
  local t = table.pack(...)
  for i = 1, t.n do
    local v = t[i]
    if type(v) == "string" then
      t[i] = string.format("%q", v):gsub("\\\n", "\\n"):gsub("\r", "\\r")
    else
      t[i] = tostring(v):gsub("0x%x+", "ADDR")
    end
  end
  return t.n .. ": " .. table.concat(t, " ", 1, t.n)
end

--- Text with CR shown as "\r", so line ends are visible in the golden file.
function wire.visible(s)
  return (s:gsub("\r", "\\r"))
end

--- Sorts every run of consecutive "Name: value" lines. LuaSocket writes header blocks in `pairs`
--- order, which depends on Lua's per-process string hash seed: the same script run twice by the
--- same lua5.4 orders them differently. Only the order is normalised; every byte stays.
function wire.sortheaders(s)
  local out, run = {}, {}
  local function flush()
    table.sort(run)
    for _, l in ipairs(run) do out[#out + 1] = l end
    run = {}
  end
  for line in (s .. "\n"):gmatch("(.-)\n") do -- every line, the last one too
    if line:match("^[%w%-]+: ") then
      run[#run + 1] = line
    else
      flush()
      out[#out + 1] = line
    end
  end
  flush()
  return table.concat(out, "\n")
end

--- The client bytes of the SMTP server's latest session containing token (its XDUMP command).
function wire.smtpdump(host, port, token)
  local c = assert(socket.connect(host, port))
  c:settimeout(10)
  assert(c:receive())
  c:send("XDUMP " .. token .. "\r\n")
  local all = c:receive("*a")
  c:close()
  return all
end

--- Makes smtp.message deterministic: its multipart boundaries use os.date("%d%m%Y%H%M%S") and
--- math.random(0, 99999), its Date header os.date("!…"). Both implementations look os.date and
--- math.random up at each use, so pinning the clock (in UTC, whatever the zone) and seeding the
--- generator gives the same bytes from both (lua5.4 and wasmoon share Lua 5.4's xoshiro256**).
function wire.pinclock(seed)
  local date = os.date
  os.date = function(format, time)
    if format:sub(1, 1) ~= "!" then format = "!" .. format end
    return date(format, time or 1700000000)
  end
  math.randomseed(seed or 42)
end

--- Strips a Lua error's "file:line: " position (the two implementations' files differ).
function wire.noposition(msg)
  return (tostring(msg):gsub("^[^:]*%.lua:%d+: ", ""))
end

return wire
