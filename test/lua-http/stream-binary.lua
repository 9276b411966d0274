-- Binary bodies through each_chunk and the other readers: every byte value (\0 and \255 included)
-- arrives unchanged, by Content-Length and chunked; a chunked body comes one piece per HTTP chunk.
local request = require "http.request"
local base, fault = arg[1], arg[2]
local function digest(s)
  local sum, zeros, ffs = 0, 0, 0
  for i = 1, #s do
    local b = s:byte(i)
    sum = (sum * 31 + b) % 4294967296
    if b == 0 then zeros = zeros + 1 elseif b == 255 then ffs = ffs + 1 end
  end
  return ("%d bytes, hash %d, %d NUL, %d 0xFF"):format(#s, sum, zeros, ffs)
end
local function open(path)
  local h, s = assert(request.new_from_uri(base .. path):go(10))
  return h, s
end
local function chunks(s)
  local parts = {}
  for chunk in s:each_chunk() do parts[#parts + 1] = chunk end
  return parts
end
local h, s = open("/bytes/70000?seed=7")
print("by length", h:get("content-length"), h:get("transfer-encoding"), digest(table.concat(chunks(s))))
h, s = open("/stream-bytes/9000?seed=3&chunk_size=1000")
local parts = chunks(s)
print("chunked", h:get("transfer-encoding"), #parts, #parts[1], #parts[#parts], digest(table.concat(parts)))
h, s = open("/stream-bytes/65536?seed=11&chunk_size=65536")
parts = chunks(s)
print("one big chunk", #parts, digest(table.concat(parts)))
h, s = open("/bytes/3000?seed=5")
local a = s:get_body_chars(1000)
local b = s:get_body_until("\0", true, true)
local rest = s:get_body_as_string()
print("mixed readers", #a, b and #b, #rest, digest(a .. (b or "") .. rest))
-- Every byte value 0..255 in order: the fault server's chunked route sends sizes 1, 0x1f, 0x100, 7.
h, s = assert(request.new_from_uri(fault .. "/chunked"):go(10))
local sizes = {}
for chunk in s:each_chunk() do sizes[#sizes + 1] = #chunk end
print("chunk sizes", table.concat(sizes, " "))
-- Binary bodies sent up: a string with every byte value, echoed back by /anything as base64
-- (httpbin's "data:application/octet-stream;base64,…" for non-UTF-8 bodies).
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
all = table.concat(all):rep(4)
local r = request.new_from_uri(base .. "/anything")
r.headers:upsert(":method", "PUT")
r.headers:upsert("content-type", "application/octet-stream")
r:set_body(all)
r.headers:delete("expect")
h, s = assert(r:go(10))
local body = s:get_body_as_string()
print("sent up", h:get(":status"), #all, body:match('"data": "data:application/octet%-stream;base64,(' .. ('.'):rep(20) .. ')'))
