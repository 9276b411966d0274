-- http.headers corner cases: each() as an independent iterator, edits while iterating, never_index
-- resets on upsert/modifyi, sort ties (value then never_index), numeric and odd names/values,
-- comma-joined numbers, delete of every occurrence, clone keeping flags, dump to a file.
local http_headers = require "http.headers"
local function list(h, label)
  local parts = {}
  for n, v, f in h:each() do parts[#parts + 1] = tostring(n) .. "=" .. tostring(v) .. (f and "!" or "") end
  print(label, #h, table.concat(parts, " "))
end
local h = http_headers.new()
h:append("x", "1")
h:append("y", "2")
h:append("x", "3")
-- each() hands back a closure with its own counter: the state argument is the headers object.
local f, s = h:each()
print("each", s == h, f(s))
print("each again", f(s))
print("fresh each", (h:each())(h))
-- Appending while iterating: the loop sees the new entry (it reads the count each step).
local seen = 0
for n in h:each() do
  seen = seen + 1
  if seen == 1 then h:append("z", "late") end
end
print("seen with append", seen)
list(h, "after append")
-- upsert/modifyi without a flag go back to the name's default.
h:append("authorization", "a", false)
list(h, "auth unflagged")
h:upsert("authorization", "b")
list(h, "auth upserted")
h:upsert("authorization", "c", false)
list(h, "auth explicit false")
h:modifyi(1, "one", true)
list(h, "modifyi flag")
h:modifyi(1, "uno")
list(h, "modifyi reset")
-- sort: names, then values, then flagged first among equals.
local s2 = http_headers.new()
for _, e in ipairs { { "b", "2" }, { "a", "9" }, { ":z", "1" }, { "a", "1" }, { "c", "x", false }, { "c", "x", true },
  { ":a", "2" }, { "A", "0" }, { "a-b", "1" }, { "a_b", "1" } } do
  s2:append(e[1], e[2], e[3])
end
s2:sort()
list(s2, "sorted")
print("index after sort", s2:get("a"))
print("geti after sort", s2:geti(1))
-- Numbers as values and names.
local n = http_headers.new()
n:append("num", 1)
n:append("num", 2.5)
n:append(7, "seven")
print("numbers", n:get("num"))
print("comma numbers", n:get_comma_separated("num"))
print("numeric name", n:get(7), n:has(7), n:has("7"))
local seq = n:get_as_sequence("num")
print("seq", seq.n, math.type(seq[1]), seq[2])
-- Empty values, names with spaces and upper case: stored as given (no lower-casing).
n:append("Mixed-Case", "")
n:append("with space", "v")
print("as given", n:has("mixed-case"), n:has("Mixed-Case"), n:get("Mixed-Case") == "", n:get("with space"))
-- delete: every occurrence, the rest renumbered.
local d = http_headers.new()
for i = 1, 6 do d:append(i % 2 == 0 and "even" or "odd", tostring(i)) end
print("delete", d:delete("odd"), #d, d:get("even"))
print("geti 2", d:geti(2))
print("delete again", d:delete("odd"), d:delete("even"), #d, tostring(d))
-- upsert of a name that appeared twice and was trimmed back to one by delete + append.
d:append("k", "1")
d:append("k", "2")
local ok, err = pcall(d.upsert, d, "k", "3")
-- The message carries lua-http's file and line: only the text after them is compared.
print("upsert multi", ok, (tostring(err):gsub("^.-:%d+: ", "")))
d:delete("k")
d:upsert("k", "3")
print("upsert after delete", d:get("k"), #d)
-- clone keeps flags and is independent.
local c0 = http_headers.new()
c0:append("cookie", "a=1")
c0:append("x", "1", true)
local c1 = c0:clone()
c1:modifyi(2, "2")
list(c0, "original")
list(c1, "clone")
-- dump to a file, with and without a prefix.
local tmp = io.tmpfile()
c0:dump(tmp)
c0:dump(tmp, "\t")
tmp:seek("set")
io.write(tmp:read("a"))
tmp:close()
