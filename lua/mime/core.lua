-- mime.core in pure Lua 5.4: the eight low-level MIME filters of LuaSocket 3.1.0's C module,
-- byte-exact, for luahttp (wasmoon cannot load C modules).
--
-- Contract kept from the C code: `A, B = f(C, D)` where A is what can be produced from C .. D
-- now and B is the unfinished remainder (or, for wrp/qpwrp/eol/dot, the new context); a nil
-- C or D marks the end of input. Every number returned is a float (`lua_pushnumber`), C `int`
-- and `size_t` conversions are reproduced (truncation, 32-bit wrap-around), strings passed to
-- the C code as markers stop at their first NUL byte, and argument errors read like
-- lauxlib's (`bad argument #1 to 'b64' (string expected, got table)`).
--
-- Speed: whole strings go through string.find/gsub with lookup tables and table.concat; the
-- only per-byte Lua loops are in base64, over 3- or 4-byte groups.

local select, type, tostring, tonumber, rawequal, rawget, next = select, type, tostring, tonumber, rawequal, rawget, next
local error, package = error, package
local byte, char, find, format, gsub, sub, rep =
  string.byte, string.char, string.find, string.format, string.gsub, string.sub, string.rep
local concat, unpack = table.concat, table.unpack
local tointeger = math.tointeger
local debug_getinfo = debug and debug.getinfo
local debug_getmetatable = debug and debug.getmetatable

local M = { _VERSION = "MIME 1.0.3" }

local CRLF, EQCRLF = "\r\n", "=\r\n"

---------------------------------------------------------------------------
-- lauxlib-style argument checking
---------------------------------------------------------------------------

local argcheck = require("luahttp.argcheck")
local argerror, typename = argcheck.argerror, argcheck.typename

-- The checks return nil plus a message on failure; the public function raises it through
-- argerror itself so that the stack levels argerror relies on stay fixed.

-- luaL_optlstring: nil/absent -> nil; numbers are converted like lua_tolstring does.
local function opt_string(value, present)
  local t = type(value)
  if t == "string" then return value end
  if value == nil then return nil end
  if t == "number" then return tostring(value) end
  return nil, "string expected, got " .. typename(value, present)
end

-- luaL_checknumber: numbers and numeric strings.
local function check_number(value, present)
  local t = type(value)
  if t == "number" then return value end
  if t == "string" then
    local n = tonumber(value)
    if n then return n end
  end
  return nil, "number expected, got " .. typename(value, present)
end

-- luaL_checkinteger: like check_number, then an exact integer value is required.
local function check_integer(value, present)
  local n, msg = check_number(value, present)
  if not n then return nil, msg end
  local i = tointeger(n)
  if not i then return nil, "number has no integer representation" end
  return i
end

-- Strings the C code reads with luaL_addstring end at their first NUL.
local function c_string(s)
  local nul = find(s, "\0", 1, true)
  if nul then return sub(s, 1, nul - 1) end
  return s
end

local TWO31, TWO32, TWO63, TWO64 = 2 ^ 31, 2 ^ 32, 2 ^ 63, 2 ^ 64

-- C `(int) double` as x86-64 does it: truncation, and INT_MIN when out of range or NaN.
local function to_int(x)
  if x ~= x or x >= TWO31 or x <= -TWO31 - 1 then return -2147483648 end
  if x < 0 then x = -((-x) // 1) else x = x // 1 end
  return tointeger(x)
end

-- C `(int) lua_Integer`: keep the low 32 bits, signed.
local function wrap_int(i)
  return ((i + 2147483648) & 0xFFFFFFFF) - 2147483648
end

-- C `(size_t) double` as x86-64 gcc does it, already turned back into a float
-- (`lua_pushnumber((lua_Number) state)`).
local function to_size_float(x)
  if x ~= x then return TWO63 end
  if x >= TWO63 then
    local y = x - TWO63
    if y >= TWO63 then return 0.0 end
    return TWO63 + (y // 1)
  end
  if x < -TWO63 then return TWO63 end
  local t = x < 0 and -((-x) // 1) or x // 1
  if t < 0 then return TWO64 + t end
  return t + 0.0
end

---------------------------------------------------------------------------
-- base64
---------------------------------------------------------------------------

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

-- 12-bit value -> two base64 characters (4,096 strings: built on first use, since building them
-- cost several ms of every `require "socket.http"`); base64 byte -> 6-bit value ('=' counts as 0).
local B64_PAIR = setmetatable({}, { __index = function(t, v)
  setmetatable(t, nil)
  for i = 0, 63 do
    local c = sub(B64, i + 1, i + 1)
    for j = 0, 63 do t[i * 64 + j] = c .. sub(B64, j + 1, j + 1) end
  end
  return t[v]
end })
local B64_VALUE = {}
for i = 0, 63 do B64_VALUE[byte(B64, i + 1)] = i end
B64_VALUE[byte("=")] = 0

-- Encodes s[1..len], len a multiple of 3.
local function b64_groups(s, len)
  local out, k = {}, 0
  for i = 1, len - 11, 12 do
    local a1, b1, c1, a2, b2, c2, a3, b3, c3, a4, b4, c4 = byte(s, i, i + 11)
    local v1 = a1 << 16 | b1 << 8 | c1
    local v2 = a2 << 16 | b2 << 8 | c2
    local v3 = a3 << 16 | b3 << 8 | c3
    local v4 = a4 << 16 | b4 << 8 | c4
    out[k + 1], out[k + 2] = B64_PAIR[v1 >> 12], B64_PAIR[v1 & 0xFFF]
    out[k + 3], out[k + 4] = B64_PAIR[v2 >> 12], B64_PAIR[v2 & 0xFFF]
    out[k + 5], out[k + 6] = B64_PAIR[v3 >> 12], B64_PAIR[v3 & 0xFFF]
    out[k + 7], out[k + 8] = B64_PAIR[v4 >> 12], B64_PAIR[v4 & 0xFFF]
    k = k + 8
  end
  for i = len - len % 12 + 1, len, 3 do
    local a, b, c = byte(s, i, i + 2)
    local v = a << 16 | b << 8 | c
    out[k + 1], out[k + 2] = B64_PAIR[v >> 12], B64_PAIR[v & 0xFFF]
    k = k + 2
  end
  return concat(out)
end

-- Final 1 or 2 bytes, padded with '='.
local function b64_tail(s)
  local a, b = byte(s, 1, 2)
  if not a then return "" end
  if not b then
    local v = a << 4
    return B64_PAIR[v] .. "=="
  end
  local v = (a << 10) | (b << 2)
  return B64_PAIR[v >> 6] .. sub(B64, (v & 63) + 1, (v & 63) + 1) .. "="
end

--- mime.b64(C [, D]): base64 of C..D's longest 3-byte-aligned prefix, plus the raw rest; D nil pads and ends (empty → nil).
function M.b64(...)
  local c, msg = opt_string((...), select("#", ...) >= 1)
  if msg then argerror(1, msg) end
  if c == nil then return nil, nil end
  local d
  d, msg = opt_string((select(2, ...)), select("#", ...) >= 2)
  if msg then argerror(2, msg) end
  if d == nil then
    local whole = #c - #c % 3
    local out = b64_groups(c, whole) .. b64_tail(sub(c, whole + 1))
    if out == "" then return nil, nil end
    return out, nil
  end
  local s = c .. d
  local whole = #s - #s % 3
  return b64_groups(s, whole), sub(s, whole + 1)
end

-- Decodes the base64 characters of `s` (already stripped of everything else) in groups of
-- four; returns the bytes and the characters of an incomplete last group.
local function unb64_groups(s)
  local len = #s
  local whole = len - len % 4
  local out, k = {}, 0
  local bytes, nb = {}, 0
  for i = 1, whole, 4 do
    local a, b, c, d = byte(s, i, i + 3)
    local v = B64_VALUE[a] << 18 | B64_VALUE[b] << 12 | B64_VALUE[c] << 6 | B64_VALUE[d]
    -- '=' (61) in the third or fourth place shortens the group
    if c == 61 then
      bytes[nb + 1] = v >> 16
      nb = nb + 1
    elseif d == 61 then
      bytes[nb + 1], bytes[nb + 2] = v >> 16, (v >> 8) & 255
      nb = nb + 2
    else
      bytes[nb + 1], bytes[nb + 2], bytes[nb + 3] = v >> 16, (v >> 8) & 255, v & 255
      nb = nb + 3
    end
    if nb >= 3000 then
      k = k + 1
      out[k] = char(unpack(bytes, 1, nb))
      nb = 0
    end
  end
  if nb > 0 then
    k = k + 1
    out[k] = char(unpack(bytes, 1, nb))
  end
  return concat(out), sub(s, whole + 1)
end

--- mime.unb64(C [, D]): decodes base64 from C..D ignoring non-alphabet bytes; returns bytes and the pending characters (D nil: drops them; empty → nil).
function M.unb64(...)
  local c, msg = opt_string((...), select("#", ...) >= 1)
  if msg then argerror(1, msg) end
  if c == nil then return nil, nil end
  local d
  d, msg = opt_string((select(2, ...)), select("#", ...) >= 2)
  if msg then argerror(2, msg) end
  if d == nil then
    local out = unb64_groups((gsub(c, "[^A-Za-z0-9+/=]", "")))
    if out == "" then return nil, nil end
    return out, nil
  end
  return unb64_groups((gsub(c .. d, "[^A-Za-z0-9+/=]", "")))
end

---------------------------------------------------------------------------
-- quoted-printable
---------------------------------------------------------------------------

-- byte -> "=XX", filled on first use: a 256-step loop at load time was enough Lua at start-up for
-- V8 to begin a 30 ms TurboFan compile of the interpreter that a short script's exit waited for
-- (built without string.format: its first call costs ~1 ms of wasm compilation at every start-up).
local QUOTED = setmetatable({}, { __index = function(t, c)
  local code = byte(c)
  local hi, lo = (code >> 4) + 1, (code & 15) + 1
  local v = "=" .. sub("0123456789ABCDEF", hi, hi) .. sub("0123456789ABCDEF", lo, lo)
  t[c] = v
  return v
end })

-- Plain in QP: 33..60 and 62..126. Tab and space are plain unless they end a line; CR is
-- only the start of a line break when LF follows.
local NOT_PLAIN = "[^!-<>-~]"

-- Encodes s[from..to] (a piece whose bytes are all resolved: see qp_pending).
local function qp_encode(s, from, to, marker)
  local out, k = {}, 0
  local pos = from
  while pos <= to do
    local at = find(s, "[\t\r ]", pos)
    if not at or at > to then at = to + 1 end
    if at > pos then
      k = k + 1
      out[k] = gsub(sub(s, pos, at - 1), NOT_PLAIN, QUOTED)
    end
    if at > to then break end
    local c = byte(s, at)
    local n1, n2 = byte(s, at + 1, at + 2)
    if at + 1 > to then n1 = nil end
    if at + 2 > to then n2 = nil end
    k = k + 1
    if c == 13 then
      if n1 == 10 then
        out[k] = marker
        pos = at + 2
      else
        out[k] = "=0D"
        pos = at + 1
      end
    elseif n1 == 13 and n2 == 10 then
      out[k] = QUOTED[char(c)] .. marker
      pos = at + 3
    else
      out[k] = char(c)
      pos = at + 1
    end
  end
  return concat(out)
end

-- How many trailing bytes the C encoder holds back for lack of lookahead: a tab or space
-- needs two more bytes, a CR one more.
local function qp_pending(s)
  local len = #s
  local before = len >= 2 and byte(s, len - 1)
  if before == 32 or before == 9 then return 2 end
  local last = byte(s, len)
  if last == 32 or last == 9 or last == 13 then return 1 end
  return 0
end

--- mime.qp(C [, D [, marker]]): quoted-printable of C..D (=XX uppercase, CRLF → marker, trailing blanks quoted); rest held back; D nil flushes with "=\r\n".
function M.qp(...)
  local nargs = select("#", ...)
  local c, msg = opt_string((...), nargs >= 1)
  if msg then argerror(1, msg) end
  local marker
  marker, msg = opt_string((select(3, ...)), nargs >= 3)
  if msg then argerror(3, msg) end
  marker = marker and c_string(marker) or CRLF
  if c == nil then return nil, nil end
  local d
  d, msg = opt_string((select(2, ...)), nargs >= 2)
  if msg then argerror(2, msg) end
  if d == nil then
    local held = qp_pending(c)
    local body = #c - held
    local out = qp_encode(c, 1, body, marker)
    if held > 0 then
      out = out .. gsub(sub(c, body + 1), NOT_PLAIN, QUOTED) .. EQCRLF
    end
    if out == "" or byte(out, 1) == 0 then return nil, nil end
    return out, nil
  end
  local s = c .. d
  local body = #s - qp_pending(s)
  return qp_encode(s, 1, body, marker), sub(s, body + 1)
end

-- hex digit byte -> value
local HEX = {}
for i = 0, 9 do HEX[48 + i] = i end
for i = 0, 5 do HEX[65 + i], HEX[97 + i] = 10 + i, 10 + i end

-- Decodes s; returns the text and the bytes of an unfinished "=", "=X" or "\r".
local function qp_decode(s)
  local out, k = {}, 0
  local pos, len = 1, #s
  while true do
    local at = find(s, "[=\r]", pos)
    local stop = (at or len + 1) - 1
    if stop >= pos then
      -- outside escapes only tab and printable ASCII survive
      k = k + 1
      out[k] = gsub(sub(s, pos, stop), "[^\t -~]", "")
    end
    if not at then return concat(out), "" end
    if byte(s, at) == 61 then
      if at + 2 > len then return concat(out), sub(s, at) end
      local h1, h2 = byte(s, at + 1, at + 2)
      if not (h1 == 13 and h2 == 10) then
        local hi, lo = HEX[h1], HEX[h2]
        k = k + 1
        if hi and lo then
          out[k] = char(hi * 16 + lo)
        else
          out[k] = sub(s, at, at + 2)
        end
      end
      pos = at + 3
    else
      if at + 1 > len then return concat(out), "\r" end
      -- a CR not followed by LF is dropped together with the byte after it (as in C)
      if byte(s, at + 1) == 10 then
        k = k + 1
        out[k] = CRLF
      end
      pos = at + 2
    end
  end
end

--- mime.unqp(C [, D]): decodes quoted-printable C..D (soft breaks removed, bad =XX kept); returns text and the unfinished rest (D nil: nil if empty or starting with NUL, as in C).
function M.unqp(...)
  local c, msg = opt_string((...), select("#", ...) >= 1)
  if msg then argerror(1, msg) end
  if c == nil then return nil, nil end
  local d
  d, msg = opt_string((select(2, ...)), select("#", ...) >= 2)
  if msg then argerror(2, msg) end
  if d == nil then
    local out = qp_decode(c)
    if out == "" or byte(out, 1) == 0 then return nil, nil end
    return out, nil
  end
  return qp_decode(c .. d)
end

---------------------------------------------------------------------------
-- line wrapping
---------------------------------------------------------------------------

-- Appends s[from..to] to out, breaking with `brk` whenever fewer than `reserve` + 1 columns
-- are left before a byte; returns the new k and left. Used by wrp (reserve 0, CRLF) and by
-- qpwrp for bytes other than "=" (reserve 1, soft break).
local function wrap_run(out, k, s, from, to, left, length, reserve, brk)
  local pos = from
  while pos <= to do
    if left <= reserve then
      k = k + 1
      out[k] = brk
      left = length
    end
    local take = left - reserve
    if take < 1 then take = 1 end
    if take > to - pos + 1 then take = to - pos + 1 end
    k = k + 1
    out[k] = sub(s, pos, pos + take - 1)
    pos = pos + take
    left = wrap_int(left - take)
  end
  return k, left
end

-- Shared argument handling of wrp and qpwrp: (left, C [, length=76]).
local function wrap_args(...)
  local nargs = select("#", ...)
  local left, msg = check_number((...), nargs >= 1)
  if msg then return nil, 1, msg end
  local input
  input, msg = opt_string((select(2, ...)), nargs >= 2)
  if msg then return nil, 2, msg end
  local length = select(3, ...)
  if length == nil then
    length = 76
  else
    length, msg = check_number(length, true)
    if msg then return nil, 3, msg end
  end
  return to_int(left), input, to_int(length)
end

--- mime.wrp(left, C [, length=76]): breaks C into CRLF lines of at most length bytes (CR dropped, LF → CRLF); returns text and columns left (float); C nil → "\r\n" if a line is open.
function M.wrp(...)
  local left, input, length = wrap_args(...)
  if left == nil then argerror(input, length) end
  if input == nil then
    if left < length then return CRLF, length + 0.0 end
    return nil, length + 0.0
  end
  local s = gsub(input, "\r", "")
  local out, k = {}, 0
  local pos, len = 1, #s
  while pos <= len do
    local nl = find(s, "\n", pos, true)
    local stop = (nl or len + 1) - 1
    k, left = wrap_run(out, k, s, pos, stop, left, length, 0, CRLF)
    if not nl then break end
    k = k + 1
    out[k] = CRLF
    left = length
    pos = nl + 1
  end
  return concat(out), left + 0.0
end

--- mime.qpwrp(left, C [, length=76]): wraps quoted-printable text with soft "=\r\n" breaks, never splitting =XX; returns text and columns left (float).
function M.qpwrp(...)
  local left, input, length = wrap_args(...)
  if left == nil then argerror(input, length) end
  if input == nil then
    if left < length then return EQCRLF, length + 0.0 end
    return nil, length + 0.0
  end
  local s = gsub(input, "\r", "")
  local out, k = {}, 0
  local pos, len = 1, #s
  while pos <= len do
    local at = find(s, "[\n=]", pos)
    local stop = (at or len + 1) - 1
    k, left = wrap_run(out, k, s, pos, stop, left, length, 1, EQCRLF)
    if not at then break end
    if byte(s, at) == 10 then
      k = k + 1
      out[k] = CRLF
      left = length
    else
      -- an "=" needs room for the whole =XX
      if left <= 3 then
        k = k + 1
        out[k] = EQCRLF
        left = length
      end
      k = k + 1
      out[k] = "="
      left = wrap_int(left - 1)
    end
    pos = at + 1
  end
  return concat(out), left + 0.0
end

---------------------------------------------------------------------------
-- end-of-line normalisation and SMTP dot-stuffing
---------------------------------------------------------------------------

--- mime.eol(ctx, C [, marker="\r\n"]): turns CR, LF, CRLF and LFCR into marker (CRCR, LFLF give two); returns text and the new context (float).
function M.eol(...)
  local nargs = select("#", ...)
  local ctx, msg = check_integer((...), nargs >= 1)
  if msg then argerror(1, msg) end
  ctx = wrap_int(ctx)
  local input
  input, msg = opt_string((select(2, ...)), nargs >= 2)
  if msg then argerror(2, msg) end
  local marker
  marker, msg = opt_string((select(3, ...)), nargs >= 3)
  if msg then argerror(3, msg) end
  marker = marker and c_string(marker) or CRLF
  if input == nil then return nil, 0.0 end
  if input == "" then return "", ctx + 0.0 end
  local len = #input
  local final = 0
  local out = gsub(input, "()([\r\n]+)", function(at, run)
    -- a break candidate right after a different one is its partner; after the same one it
    -- starts a new line
    local prev = at == 1 and ctx or 0
    local count = 0
    for i = 1, #run do
      local c = byte(run, i)
      if prev == 13 or prev == 10 then
        if c == prev then count = count + 1 end
        prev = 0
      else
        count = count + 1
        prev = c
      end
    end
    if at + #run - 1 == len then final = prev end
    return rep(marker, count)
  end)
  return out, final + 0.0
end

--- mime.dot(state, C): SMTP dot-stuffing ("\r\n." → "\r\n.."; state 2 = at line start); returns text and the new state (float); C nil → nil, 2.0.
function M.dot(...)
  local nargs = select("#", ...)
  local state, msg = check_number((...), nargs >= 1)
  if msg then argerror(1, msg) end
  local input
  input, msg = opt_string((select(2, ...)), nargs >= 2)
  if msg then argerror(2, msg) end
  if input == nil then return nil, 2.0 end
  local st = to_size_float(state)
  if input == "" then return "", st end
  -- replay the state as the bytes that would have produced it
  local prefix = (st == 2 and CRLF) or (st == 1 and "\r") or ""
  local s = prefix .. input
  local out = sub(gsub(s, "\r\n%.", "\r\n.."), #prefix + 1)
  local last = byte(s, -1)
  if last == 13 then return out, 1.0 end
  if last == 10 and byte(s, -2) == 13 then return out, 2.0 end
  return out, 0.0
end

return M
