-- http.util: the four URI codecs on every byte, query_args and dict_to_query.
local util = require "http.util"
local all = {}
for b = 0, 255 do all[#all + 1] = string.char(b) end
all = table.concat(all)
print("encodeURI", util.encodeURI(all))
print("encodeURIComponent", util.encodeURIComponent(all))
local enc = util.encodeURIComponent(all)
print("roundtrip component", util.decodeURIComponent(enc) == all)
print("decodeURI keeps reserved", util.decodeURI("%23%24%26%2B%2C%2F%3A%3B%3D%3F%40%20%41%2f%3a%zz%4"))
print("decodeURIComponent", util.decodeURIComponent("%23%24%26%2B%2C%2F%3A%3B%3D%3F%40%20%41%2f%3a%zz%4%e2%82%AC"))
print("encode utf8", util.encodeURIComponent("caf\xc3\xa9 \xe2\x82\xac/"), util.encodeURI("caf\xc3\xa9 \xe2\x82\xac/#x"))
for _, q in ipairs { "a=1&b=2", "a&b=&c=3", "x=%41%20b&y=a+b&&z", "=v&k==v2", "", "&&&", "n%3D=%26" } do
  local parts = {}
  for name, value in util.query_args(q) do parts[#parts + 1] = name .. "=" .. tostring(value) end
  print("query_args", q, #parts, table.concat(parts, " | "))
end
local f, s, init = util.query_args("a=1")
print("query_args returns", type(f), type(s), type(init))
print("dict_to_query one", util.dict_to_query({ ["a b"] = "c&d" }))
print("dict_to_query empty", util.dict_to_query({}) == "")
local q = util.dict_to_query({ x = "1", y = "/", z = "é" })
local got = {}
for part in q:gmatch("[^&]+") do got[#got + 1] = part end
table.sort(got)
print("dict_to_query three", #q, table.concat(got, "&"))
