-- RFC 6455 frames as lua-http 0.4's http.websocket builds and reads them (its exported
-- build_frame/read_frame/build_close/parse_close): a frame is a table { opcode, FIN, RSV1..3, MASK,
-- key = {4 bytes}, data, length }. Payloads stay Lua strings (bytes) end to end.
local wsocket = require("luahttp.http.wssocket")

local spack, sunpack, char, byte, rep = string.pack, string.unpack, string.char, string.byte, string.rep
local concat, unpack, random, assert, min = table.concat, table.unpack, math.random, assert, math.min

local M = {}

-- Masking 4 bytes at a time: a block of WORDS little-endian 32-bit words per pack/unpack call.
local WORDS = 128
local WORD_FORMAT = "<" .. rep("I4", WORDS)

--- mask(data, key4) → data XOR the repeating 4-byte key (masking and unmasking alike).
local function mask(data, key)
  local n = #data
  local k = sunpack("<I4", key)
  local out, o, i = {}, 0, 1
  while n - i + 1 >= 4 do
    local count = min((n - i + 1) // 4, WORDS)
    local format = count == WORDS and WORD_FORMAT or ("<" .. rep("I4", count))
    local words = { sunpack(format, data, i) }
    for w = 1, count do words[w] = words[w] ~ k end
    o = o + 1
    out[o] = spack(format, unpack(words, 1, count))
    i = i + count * 4
  end
  if i <= n then
    local tail = {}
    for j = i, n do tail[#tail + 1] = char(byte(data, j) ~ byte(key, (j - 1) % 4 + 1)) end
    o = o + 1
    out[o] = concat(tail)
  end
  return concat(out, "", 1, o)
end
M.mask = mask

--- build_frame(desc) → the frame's bytes; a client frame (MASK) gets a random key unless desc.key.
function M.build_frame(desc)
  local data = desc.data or ""
  local opcode = desc.opcode
  assert(opcode and opcode >= 0 and opcode <= 0xF, "Invalid WebSocket opcode")
  if opcode >= 0x8 then
    assert(#data <= 125, "WebSocket control frames MUST have a payload length of 125 bytes or less.")
  end
  local b1 = opcode | (desc.FIN and 0x80 or 0) | (desc.RSV1 and 0x40 or 0) | (desc.RSV2 and 0x20 or 0)
    | (desc.RSV3 and 0x10 or 0)
  local len, extended = #data, ""
  if len > 0xFFFF then
    len, extended = 127, spack(">I8", #data)
  elseif len > 125 then
    len, extended = 126, spack(">I2", #data)
  end
  if not desc.MASK then return char(b1, len) .. extended .. data end
  local key
  if desc.key then
    key = char(unpack(desc.key, 1, 4))
  else
    key = spack("<I4", random(0, 0xFFFFFFFF))
  end
  return char(b1, len | 0x80) .. extended .. key .. mask(data, key)
end

--- build_close(code, message, mask) → a close frame's description.
function M.build_close(code, message, masked)
  local data = ""
  if code then
    data = spack(">I2", code)
    if message then
      assert(#message <= 123, "Close reason must be <=123 bytes")
      data = data .. message
    end
  end
  return { opcode = 0x8, FIN = true, MASK = masked, data = data }
end

--- parse_close(payload) → code, message (nil when absent).
function M.parse_close(data)
  if #data < 2 then return nil, nil end
  local code = sunpack(">I2", data)
  if #data > 2 then return code, data:sub(3) end
  return code, nil
end

--- read_frame(sock, deadline) → frame | nil (the peer closed between frames) | nil, message, errno.
--- A frame cut by the deadline is put back whole, for the next call.
function M.read_frame(sock, deadline)
  local taken = {}
  local function take(n)
    local s, e, got = sock:read(n, deadline)
    if s then
      taken[#taken + 1] = s
      return s
    end
    if e == "timeout" then
      -- lua-http reads the first two bytes, then fills its buffer with the rest: the wait that ran
      -- out is named after the step it was in.
      local op = #taken == 0 and "read" or "fill"
      sock:unget(concat(taken))
      return nil, wsocket.err(op, wsocket.ETIMEDOUT)
    end
    if #taken == 0 and got == "" then return nil end
    return nil, wsocket.err("read_frame", wsocket.EILSEQ)
  end
  local head, e1, e2 = take(2)
  if not head then return nil, e1, e2 end
  local b1, b2 = byte(head, 1, 2)
  local frame = {
    FIN = b1 & 0x80 ~= 0, RSV1 = b1 & 0x40 ~= 0, RSV2 = b1 & 0x20 ~= 0, RSV3 = b1 & 0x10 ~= 0,
    opcode = b1 & 0x0F, MASK = b2 & 0x80 ~= 0, length = b2 & 0x7F,
  }
  if frame.length >= 126 then
    local size = frame.length == 126 and 2 or 8
    local ext, x1, x2 = take(size)
    if not ext then return nil, x1, x2 end
    frame.length = sunpack(size == 2 and ">I2" or ">I8", ext)
  end
  local key
  if frame.MASK then
    local k, k1, k2 = take(4)
    if not k then return nil, k1, k2 end
    key = k
    frame.key = { byte(k, 1, 4) }
  end
  local data, d1, d2 = take(frame.length)
  if not data then return nil, d1, d2 end
  frame.data = key and mask(data, key) or data
  return frame
end

return M
