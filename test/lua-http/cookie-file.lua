-- http.cookie's cookie files (curl's "Netscape" format): netscape_format of single cookies,
-- save_to_file (preamble, one line per cookie; lines sorted here since the order is the store's
-- table order), load_from_file (comments, #HttpOnly_ lines, a leading dot, malformed lines skipped,
-- expired entries dropped, tabs kept in values), and a save/load round trip.
local cookie = require "http.cookie"
local now = 1600000000
local s = cookie.new_store()
s.time = function() return now end
assert(s:store("example.com", "/app/x", true, true, nil, "sid", "abc", { secure = true, httponly = true }))
assert(s:store("www.example.com", "/", true, false, nil, "dom", "1", { domain = ".example.com", ["max-age"] = "3600" }))
assert(s:store("127.0.0.1", "/", true, false, nil, "far", "2", { ["max-age"] = "9999999999" }))
local lines = {}
for _, by_path in pairs(s.domains) do
  for _, by_name in pairs(by_path) do
    for _, c in pairs(by_name) do lines[#lines + 1] = c:netscape_format() end
  end
end
table.sort(lines)
for _, l in ipairs(lines) do io.write("netscape ", l) end
local function saved(store)
  local f = io.tmpfile()
  print("save_to_file", store:save_to_file(f))
  f:seek("set")
  local head, body = {}, {}
  for line in f:lines() do
    if #head < 3 then head[#head + 1] = line else body[#body + 1] = line end
  end
  f:close()
  table.sort(body)
  print("preamble", table.concat(head, "|"))
  for _, l in ipairs(body) do print("line", l) end
  return body
end
saved(s)
local file = io.tmpfile()
file:write(table.concat({
  "# Netscape HTTP Cookie File",
  "",
  ".example.org\tFALSE\t/\tFALSE\t2000000000\tdotted\tv1",
  "#HttpOnly_example.org\tTRUE\t/p\tTRUE\t2000000000\thttponly\tv2",
  "# a comment\tTRUE\t/\tFALSE\t2000000000\tcomment\tx",
  "example.org\tTRUE\t/\tFALSE\t0\tsession_zero\tgone",
  "example.org\tTRUE\t/\tFALSE\t1500000000\tpast\tgone",
  "example.org\tYES\t/\tFALSE\t2000000000\tbadflag\tx",
  "example.org\tTRUE\t/\tFALSE\t-1\tnegative\tx",
  "example.org\tTRUE\t/\tFALSE\t2000000000\ttabs\tv\twith\ttabs",
  "example.org\tTRUE\t/\tFALSE\t2000000000\tnovalue\t",
  "example.org\tTRUE\t/\tFALSE\t2000000000",
  "Example.ORG\tTRUE\t/up\tFALSE\t2000000000\tupper\tU",
  "ex ample.org\tTRUE\t/\tFALSE\t2000000000\tblank\tx",
  ".\tTRUE\t/\tFALSE\t2000000000\tdot\tx",
  "example.org\tTRUE\t/\tFALSE\t2000000000\tcr\tv\r",
}, "\n") .. "\n")
file:seek("set")
local loaded = cookie.new_store()
loaded.time = function() return now end
print("load_from_file", loaded:load_from_file(file))
print("n_cookies", loaded.n_cookies)
local rows = {}
for domain, by_path in pairs(loaded.domains) do
  for path, by_name in pairs(by_path) do
    for name, c in pairs(by_name) do
      rows[#rows + 1] = string.format("%s %s %s %q %s %s %s %s %s", domain, path, name, c.value, tostring(c.host_only),
        tostring(c.secure_only), tostring(c.http_only), tostring(c.persistent), tostring(c.expiry_time))
    end
  end
end
table.sort(rows)
for _, r in ipairs(rows) do print("loaded", r) end
print("lookup", loaded:lookup("example.org", "/p", true, true, true, nil, true))
print("lookup sub", loaded:lookup("a.example.org", "/", true, false, true, nil, true))
-- Round trip: what one store saves, another loads.
local f = io.tmpfile()
s:save_to_file(f)
f:seek("set")
local again = cookie.new_store()
again.time = function() return now end
print("reload", again:load_from_file(f), again.n_cookies)
saved(again)
