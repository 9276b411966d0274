-- save_body_to_file and get_body_as_file: binary and chunked bodies land byte for byte; a file
-- opened for writing part-way keeps what was there; a failing body returns the error.
local request = require "http.request"
local base, fault = arg[1], arg[2]
local function open(url)
  local h, s = assert(request.new_from_uri(url):go(10))
  return h, s
end
local function hash(s)
  local x = 0
  for i = 1, #s do x = (x * 33 + s:byte(i)) % 4294967296 end
  return #s .. ":" .. x
end
local name = os.tmpname()
local h, s = open(base .. "/bytes/50000?seed=9")
local f = assert(io.open(name, "wb"))
print("save", s:save_body_to_file(f))
f:close()
f = assert(io.open(name, "rb"))
local saved = f:read("a")
f:close()
local h2, s2 = open(base .. "/bytes/50000?seed=9")
print("same bytes", hash(saved), saved == s2:get_body_as_string())
h, s = open(base .. "/stream-bytes/20000?seed=4&chunk_size=777")
f = assert(io.open(name, "wb"))
f:write("prefix:")
print("save chunked", s:save_body_to_file(f))
f:close()
f = assert(io.open(name, "rb"))
saved = f:read("a")
f:close()
print("after prefix", saved:sub(1, 7), hash(saved:sub(8)))
h, s = open(base .. "/bytes/5000?seed=2")
local first = s:get_body_chars(100)
f = assert(io.open(name, "wb"))
print("rest to file", #first, s:save_body_to_file(f))
f:close()
print("file size", io.open(name, "rb"):seek("end"), lfs)
os.remove(name)
h, s = open(base .. "/stream/5")
local tmp = assert(s:get_body_as_file())
local lines = 0
for _ in tmp:lines() do lines = lines + 1 end
print("as file", io.type(tmp), lines, tmp:seek("end") > 0)
h, s = open(fault .. "/bad-chunk")
print("failing body", s:get_body_as_file())
h, s = open(fault .. "/chunked-truncated")
f = io.tmpfile()
print("cut chunked", s:save_body_to_file(f))
print("partial kept", f:seek("end"))
