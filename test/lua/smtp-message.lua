-- smtp.message, the message source alone (no server): headers lower-cased into mesgt.headers with
-- Date, X-Mailer and MIME-Version added; string, source and multipart bodies (nested, preamble,
-- epilogue, per-part headers, boundaries from the clock, math.random and a sequence number);
-- a body source's error passed on; the source after its end (LuaSocket's dead coroutine);
-- a zone field. Clock and random generator pinned, header order sorted (test/lua/support/wire.lua).
local smtp = require("socket.smtp")
local ltn12 = require("ltn12")
local mime = require("mime")
local wire = dofile("test/lua/support/wire.lua")
wire.pinclock(7)

print("constants", smtp.SERVER, smtp.PORT, smtp.DOMAIN, smtp.TIMEOUT, smtp.ZONE)
local keys = {}
for k in pairs(smtp) do keys[#keys + 1] = k end
table.sort(keys)
print("fields", table.concat(keys, " "))

local function drain(src)
  local chunks, n = {}, 0
  while true do
    local chunk, err = src()
    n = n + 1
    if chunk == nil then
      print("end after", n, "calls", wire.show(chunk, err))
      break
    end
    chunks[#chunks + 1] = chunk
  end
  return table.concat(chunks)
end

local function show(src)
  print(wire.visible(wire.sortheaders(drain(src))))
end

-- A string body; given headers in any case, a Date of our own kept, MIME-Version forced.
local m = { headers = { SUBJECT = "s", ["Mime-Version"] = "9.9", date = "mine", ["X-Custom"] = "x" }, body = "text body" }
local src = smtp.message(m)
local names = {}
for k, v in pairs(m.headers) do names[#names + 1] = k .. "=" .. v end
table.sort(names)
print("mesgt.headers", table.concat(names, " | "))
show(src)
print("after end", wire.show(src()))
print("again", wire.show(src()))

-- A zone field and no headers at all.
show(smtp.message { body = "", zone = "+0100" })

-- A source body with an error in the middle: nil, err is passed on, reading goes on afterwards.
local calls = 0
local body = function()
  calls = calls + 1
  if calls == 1 then return "first " end
  if calls == 2 then return nil, "oops" end
  if calls == 3 then return "third" end
  return nil
end
src = smtp.message { headers = { ["content-type"] = "text/x-test" }, body = body }
for _ = 1, 6 do
  local chunk, err = src()
  print("chunk", wire.show(chunk and wire.sortheaders(chunk) or chunk, err))
end

-- A raising body source: the error message comes back as nil, message.
src = smtp.message { body = function() error("raised inside", 0) end }
src()
print("raised", wire.show(src()))
print("dead", wire.show(src()))

-- Multipart, nested, with a preamble and an epilogue; a base64 attachment through a filter chain.
show(smtp.message {
  headers = { subject = "multipart", ["content-type"] = "multipart/alternative" },
  body = {
    preamble = "This is the preamble.",
    [1] = { body = "plain part" },
    [2] = {
      headers = { ["Content-Type"] = "text/html", ["content-transfer-encoding"] = "quoted-printable" },
      body = ltn12.source.chain(ltn12.source.string("<p>caf\233 = cost</p>"), mime.encode("quoted-printable")),
    },
    [3] = {
      headers = { ["content-type"] = 'application/octet-stream; name="b.bin"', ["content-transfer-encoding"] = "BASE64" },
      body = ltn12.source.chain(ltn12.source.string(string.rep("\0\1\2\255", 30)),
        ltn12.filter.chain(mime.encode("base64"), mime.wrap())),
    },
    [4] = { body = { { body = "inner one" }, { body = "inner two" }, epilogue = "inner epilogue" } },
    epilogue = "This is the epilogue.",
  },
})

-- A part that is a plain string (not a table): LuaSocket reads its .body and .headers from the
-- string library, finds none, yields nil and so ends the whole message there.
show(smtp.message { body = { { body = "before" }, "a bare string part", { body = "never sent" } } })

-- An empty multipart table, and bodies that are neither string nor source.
show(smtp.message { body = {} })
show(smtp.message { body = 42 })
show(smtp.message { body = nil })
