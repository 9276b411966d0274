-- The scenarios of LuaSocket's own test/mimetest.lua (v3.1.0), on files in a fresh temporary
-- directory: base64 through a chain of four encoders and four wrappers and back through four
-- decoders, an encode/decode identity chain (qp, b64, unb64, unqp), base64 padding with every
-- split point, and quoted-printable (text and binary mode) with wrapping over a file holding all
-- bytes, growing lines, 8-bit text, trailing spaces/tabs and every end-of-line convention.
-- Files are read by a source that returns chunks of random size (0..1024, seeded), and each
-- transformation runs both as a source filter and as a sink filter. Printed: sizes and a hash of
-- every produced file, its first bytes, and whether round trips gave the original back.
local H = require("harness")
local ltn12 = require("ltn12")
local mime = require("mime")
H.expect_source("mime", mime.normalize)
math.randomseed(42)

local show, case = H.show, H.case

-- a private scratch directory, removed at the end
local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -m 700 '" .. dir .. "'"), "cannot create " .. dir)
local created = {}
local function path(name)
  local p = dir .. "/" .. name
  created[p] = true
  return p
end

local function slurp(p)
  local f = assert(io.open(p, "rb"))
  local data = f:read("a")
  f:close()
  return data
end

-- FNV-1a over the bytes, 32 bits: a short fingerprint of a produced file.
local function fingerprint(data)
  local h = 2166136261
  for i = 1, #data do
    h = ((h ~ data:byte(i)) * 16777619) & 0xffffffff
  end
  return string.format("%08x", h)
end

local function describe(p)
  local data = slurp(p)
  return #data .. " bytes fnv " .. fingerprint(data) .. " head " .. show(data:sub(1, 60))
end

-- An ltn12 source over an open file that reads a random number of bytes per call.
local function jittery_source(handle)
  return function()
    if not handle then return nil end
    local chunk = handle:read(math.random(0, 1024))
    if chunk == nil then
      handle:close()
      handle = nil
    end
    return chunk
  end
end

-- Copies file `from` to file `to` through `filter`, as a source chain or a sink chain.
local function transform(from, to, filter, as_sink)
  local source = jittery_source(assert(io.open(from, "rb")))
  local sink = ltn12.sink.file(assert(io.open(to, "wb")))
  if as_sink then sink = ltn12.sink.chain(filter, sink) else source = ltn12.source.chain(source, filter) end
  return H.showlist(2, ltn12.pump.all(source, sink))
end

local function same_files(a, b)
  return show(slurp(a) == slurp(b))
end

-- base64 ------------------------------------------------------------------------------------
local original = path("b64test.bin")
do
  local f = assert(io.open(original, "wb"))
  for _ = 1, 100 do
    local row = {}
    for i = 1, 100 do row[i] = math.random(0, 255) end
    f:write(string.char(table.unpack(row)))
  end
  f:close()
end
case("b64 original", describe(original))

for _, as_sink in ipairs({ false, true }) do
  local how = as_sink and "sink" or "source"
  -- every encoder undone by its decoder, two codecs deep
  local identity = ltn12.filter.chain(mime.encode("quoted-printable"), mime.encode("base64"),
    mime.decode("base64"), mime.decode("quoted-printable"))
  local copy = path("identity." .. how)
  case("identity chain (" .. how .. ")", transform(original, copy, identity, as_sink) .. " same " .. same_files(original, copy))

  -- four rounds of base64, each wrapped at a different width
  local encoded = path("b64test.enc." .. how)
  local encoders = ltn12.filter.chain(
    mime.encode("base64"), mime.wrap(27),
    mime.encode("base64"), mime.wrap("base64", 30),
    mime.encode("base64"), mime.wrap(59),
    mime.encode("base64"), mime.wrap())
  case("b64 encode x4 with wraps (" .. how .. ")", transform(original, encoded, encoders, as_sink))
  case("b64 encoded file (" .. how .. ")", describe(encoded))
  local decoded = path("b64test.dec." .. how)
  local decoders = ltn12.filter.chain(mime.decode("base64"), mime.decode("base64"), mime.decode("base64"), mime.decode("base64"))
  case("b64 decode x4 (" .. how .. ")", transform(encoded, decoded, decoders, as_sink) .. " same " .. same_files(original, decoded))
end

-- padding: whole strings, then every split of the input into (a, b) fed incrementally
local padding = {
  { "a", "YQ==" }, { "ab", "YWI=" }, { "abc", "YWJj" }, { "abcd", "YWJjZA==" }, { "abcde", "YWJjZGU=" },
  { "abcdef", "YWJjZGVm" }, { "abcdefg", "YWJjZGVmZw==" }, { "abcdefgh", "YWJjZGVmZ2g=" },
  { "abcdefghi", "YWJjZGVmZ2hp" }, { "abcdefghij", "YWJjZGVmZ2hpag==" },
}
for _, p in ipairs(padding) do
  local plain, coded = p[1], p[2]
  local e, d = (mime.b64(plain)), (mime.unb64(coded))
  case("b64 pad " .. plain, show(e) .. " " .. show(d) .. " " .. show(e == coded and d == plain))
end
for _, p in ipairs({ padding[8], padding[9], padding[10] }) do
  local plain, coded = p[1], p[2]
  local results = {}
  for cut = 0, #plain do
    local first, rest = mime.b64(plain:sub(1, cut), plain:sub(cut + 1))
    local tail = (mime.b64(rest))
    local joined = first .. (tail or "")
    results[#results + 1] = show(first) .. "+" .. show(tail) .. (joined == coded and "" or "!")
  end
  case("b64 split points " .. plain, table.concat(results, " "))
end

-- quoted-printable ----------------------------------------------------------------------------
local prose = table.concat({
  "    Numa tarde de março, à beira do açude, Inês contava os peixes \n",
  "    enquanto João, distraído, rabiscava números na areia úmida.  \n",
  "    \233 \231 \227 \245 latin-1 bytes among the UTF-8 ones, and a line that runs on and on and on past seventy-six columns without a break\n",
  "    tab at the end\t\n",
  "    última linha, sem espaço final\n",
}, "")

local qp_original = path("qptest.bin")
do
  local f = assert(io.open(qp_original, "wb"))
  for i = 0, 255 do f:write(string.char(i)) end
  for i = 0, 255 do f:write(string.char(i):rep(i + 1), "\r\n") end
  f:write(prose)
  -- every whitespace byte alternately turned into a space and a tab
  local tab = false
  f:write((prose:gsub("%s", function()
    tab = not tab
    return tab and " " or "\t"
  end)))
  -- line ends cycling through the four conventions, then every pair of them
  local eols = { "\r\n", "\r", "\n", "\n\r" }
  local k = 0
  f:write((prose:gsub("\n", function()
    k = k % 4 + 1
    return eols[k]
  end)))
  for i = 1, 4 do for j = 1, 4 do f:write(eols[i], eols[j]) end end
  -- long lines of tabs, spaces and both
  f:write("\r\n", ("\t"):rep(256), "\r\n", (" "):rep(256), "\r\n", ("\t "):rep(256), "\r\n", ("  "):rep(256), "\r\n")
  f:close()
end
case("qp original", describe(qp_original))

for _, mode in ipairs({ "text", "binary" }) do
  for _, as_sink in ipairs({ false, true }) do
    local how = mode .. "/" .. (as_sink and "sink" or "source")
    local encoded = path("qptest.enc." .. mode .. (as_sink and ".sink" or ".source"))
    local encode = ltn12.filter.chain(mime.encode("quoted-printable", mode ~= "text" and mode or nil), mime.wrap("quoted-printable"))
    case("qp encode+wrap (" .. how .. ")", transform(qp_original, encoded, encode, as_sink))
    case("qp encoded file (" .. how .. ")", describe(encoded))
    local decoded = path("qptest.dec." .. mode .. (as_sink and ".sink" or ".source"))
    case("qp decode (" .. how .. ")", transform(encoded, decoded, mime.decode("quoted-printable"), as_sink)
      .. " same " .. same_files(qp_original, decoded))
  end
end

for p in pairs(created) do os.remove(p) end
case("scratch directory removed", show((os.remove(dir))))
H.finish()
