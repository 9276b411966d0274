-- os.remove and os.rename failures as lua5.4 reports them: os.remove's message starts with the file
-- name, os.rename's is the bare strerror text (Lua 5.4 passes no name), both with errno third.
-- Paths are printed relative to a fresh temporary directory ("D").
local d = os.tmpname()
os.remove(d)
assert(os.execute("mkdir -p '" .. d .. "/sub/inner' && touch '" .. d .. "/file'"))
local function show(label, ...)
  local out = table.pack(...)
  for i = 1, out.n do
    if type(out[i]) == "string" then out[i] = out[i]:gsub(d, "D", 1, true) end
    out[i] = tostring(out[i])
  end
  print(label, out.n, table.concat(out, "\t"))
end
show("remove missing", os.remove(d .. "/nonexistent"))
show("remove non-empty dir", os.remove(d .. "/sub/"))
show("remove through a file", os.remove(d .. "/file/x"))
show("remove empty name", os.remove(""))
show("rename missing", os.rename(d .. "/nonexistent", d .. "/x"))
show("rename into missing dir", os.rename(d .. "/file", d .. "/nodir/x"))
show("rename file over dir", os.rename(d .. "/file", d .. "/sub"))
show("rename dir over file", os.rename(d .. "/sub", d .. "/file"))
show("rename dir into itself", os.rename(d .. "/sub", d .. "/sub/inner/x"))
show("rename empty name", os.rename("", d .. "/g"))
show("rename through a file", os.rename(d .. "/file/x", d .. "/g"))
show("rename ok", os.rename(d .. "/file", d .. "/file2"))
show("remove ok", os.remove(d .. "/file2"))
show("remove empty dir", os.remove(d .. "/sub/inner"))
assert(os.execute("rm -rf '" .. d .. "'"))
