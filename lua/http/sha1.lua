-- SHA-1 (FIPS 180-4) of a byte string, for the one place luahttp needs it: checking a websocket
-- server's Sec-WebSocket-Accept (RFC 6455 4.1), a hash of a 60-byte string once per connection.
-- Plain Lua 5.4 integer arithmetic; not meant for bulk data.
local spack, sunpack, srep = string.pack, string.unpack, string.rep

local M32 = 0xffffffff

local function rol(x, n)
  return ((x << n) | (x >> (32 - n))) & M32
end

--- sha1(message) → the 20-byte binary digest.
local function sha1(msg)
  local h0, h1, h2, h3, h4 = 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0
  local bitlen = #msg * 8
  -- Padding: 0x80, zeros up to 56 mod 64, then the bit length as a big-endian 64-bit number.
  msg = msg .. "\128" .. srep("\0", (55 - #msg) % 64) .. spack(">I8", bitlen)
  local w = {}
  for block = 1, #msg, 64 do
    for i = 0, 15 do w[i] = sunpack(">I4", msg, block + i * 4) end
    for i = 16, 79 do w[i] = rol(w[i - 3] ~ w[i - 8] ~ w[i - 14] ~ w[i - 16], 1) end
    local a, b, c, d, e = h0, h1, h2, h3, h4
    for i = 0, 79 do
      local f, k
      if i < 20 then
        f, k = (b & c) | ((~b) & d), 0x5A827999
      elseif i < 40 then
        f, k = b ~ c ~ d, 0x6ED9EBA1
      elseif i < 60 then
        f, k = (b & c) | (b & d) | (c & d), 0x8F1BBCDC
      else
        f, k = b ~ c ~ d, 0xCA62C1D6
      end
      local t = (rol(a, 5) + (f & M32) + e + k + w[i]) & M32
      a, b, c, d, e = t, a, rol(b, 30), c, d
    end
    h0, h1, h2 = (h0 + a) & M32, (h1 + b) & M32, (h2 + c) & M32
    h3, h4 = (h3 + d) & M32, (h4 + e) & M32
  end
  return spack(">I4I4I4I4I4", h0, h1, h2, h3, h4)
end

return sha1
