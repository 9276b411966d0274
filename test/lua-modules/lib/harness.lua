-- Shared helpers for the differential tests in test/lua-modules/: every test prints one line
-- per case through `case`, and run.sh diffs the output of the LuaSocket run against ours.
-- Output must not depend on addresses or hash order, so values are rendered by `show`.

local H = {}

H.impl = os.getenv("LUAMOD_IMPL") or "system"
H.root = os.getenv("LUAMOD_ROOT") or "/work/main"
H.ours = H.impl == "ours"

local cases = 0

local function escape_string(s)
  return '"' .. s:gsub('[%c"\\\128-\255]', function(c)
    return string.format("\\%03d", c:byte())
  end) .. '"'
end

-- Renders a value deterministically; numbers keep their subtype (2 vs 2.0f).
function H.show(v, depth)
  local t = type(v)
  if t == "string" then return escape_string(v) end
  if t == "number" then
    if math.type(v) == "integer" then return tostring(v) end
    if v ~= v then return "nan.f" end
    return string.format("%.17g", v) .. "f"
  end
  if t == "table" then
    depth = depth or 0
    if depth > 4 then return "{...}" end
    local keys = {}
    for k in next, v do keys[#keys + 1] = k end
    table.sort(keys, function(a, b)
      local ta, tb = type(a), type(b)
      if ta ~= tb then return ta < tb end
      if ta == "number" or ta == "string" then return a < b end
      return false
    end)
    local parts = {}
    for _, k in ipairs(keys) do
      parts[#parts + 1] = "[" .. H.show(k, depth + 1) .. "]=" .. H.show(rawget(v, k), depth + 1)
    end
    local mt = getmetatable(v)
    local tag = ""
    if mt ~= nil then tag = "<mt:" .. type(mt) .. (mt == false and "=false" or "") .. ">" end
    return tag .. "{" .. table.concat(parts, ",") .. "}"
  end
  if t == "nil" or t == "boolean" then return tostring(v) end
  return t
end

-- Shows a list of values, keeping trailing nils and the count.
function H.showlist(n, ...)
  local parts = {}
  local vals = table.pack(...)
  for i = 1, n do parts[i] = H.show(vals[i]) end
  return "(" .. n .. ") " .. table.concat(parts, ", ")
end

-- Error messages raised inside module code carry the module file and line, which cannot be
-- equal between LuaSocket's files and ours; everything else must match byte for byte.
function H.normalize(msg)
  if type(msg) ~= "string" then return msg end
  local sys = "/usr/share/lua/5%.4/"
  local ours = H.root:gsub("%p", "%%%0") .. "/lua/"
  msg = msg:gsub("^" .. sys .. "([%w_/]+)%.lua:%d+:", "<%1.lua>:")
  msg = msg:gsub("^" .. ours .. "([%w_/]+)%.lua:%d+:", "<%1.lua>:")
  -- lauxlib names a function reached through pcall after a package.loaded key; "mime" and
  -- "mime.core" (and "socket"/"socket.core") hold the same table and the traversal order
  -- follows the per-process string hash seed, so LuaSocket itself alternates between them
  msg = msg:gsub("'mime%.core%.", "'mime."):gsub("'socket%.core%.", "'socket.")
  return msg
end

-- Calls f with the arguments and renders every result or the (normalised) error.
function H.run(f, ...)
  local r = table.pack(pcall(f, ...))
  if r[1] then return "ok " .. H.showlist(r.n - 1, table.unpack(r, 2, r.n)) end
  return "error " .. H.show(H.normalize(r[2]))
end

-- One case: a label and its rendered outcome.
function H.case(label, text)
  cases = cases + 1
  io.write(label, " => ", text, "\n")
end

-- Shorthand: a case whose outcome is H.run(f, ...).
function H.check(label, f, ...)
  H.case(label, H.run(f, ...))
end

function H.count() return cases end

-- True when the test runs under luahttp (`node bin/luahttp.js test.lua`) rather than native lua5.4.
-- Asked lazily, after the test's own requires, so the harness never changes a test's load order.
local under_luahttp
function H.luahttp()
  if under_luahttp == nil then
    -- luahttp preloads a "luahttp" module; LuaSocket has none (the failed require loads nothing)
    local ok, luahttp = pcall(require, "luahttp")
    under_luahttp = ok and type(luahttp) == "table" and luahttp.version ~= nil
  end
  return under_luahttp
end

-- Checks that a function comes from the implementation under test, so an "ours" run that
-- silently fell back to LuaSocket's files cannot pass. Skipped under luahttp: its modules are
-- bundled in package.preload, so a file on package.path says nothing about what was loaded.
function H.expect_source(modname, fn)
  if H.luahttp() then return end
  local src = debug.getinfo(fn, "S").source
  local ok
  if H.ours then
    ok = src:sub(1, #H.root + 6) == "@" .. H.root .. "/lua/"
  else
    ok = src == "=[C]" or src:sub(1, 16) == "@/usr/share/lua/"
  end
  if not ok then
    io.stderr:write("implementation check failed for ", modname, ": ", src, "\n")
    os.exit(3)
  end
end

-- Same check for a module without functions: the file package.path resolves.
function H.expect_file(modname)
  if H.luahttp() then return end
  local path = package.searchpath(modname, package.path) or "?"
  local ok
  if H.ours then
    ok = path:sub(1, #H.root + 5) == H.root .. "/lua/"
  else
    ok = path:sub(1, 15) == "/usr/share/lua/"
  end
  if not ok then
    io.stderr:write("implementation check failed for ", modname, ": ", path, "\n")
    os.exit(3)
  end
end

function H.finish()
  io.write("CASES ", cases, "\n")
end

-- Deterministic byte strings for the random tests.
function H.random_bytes(n, alphabet)
  local t = {}
  if alphabet then
    for i = 1, n do
      local k = math.random(#alphabet)
      t[i] = alphabet:sub(k, k)
    end
  else
    for i = 1, n do t[i] = string.char(math.random(0, 255)) end
  end
  return table.concat(t)
end

-- Splits s at random boundaries (pieces may be empty).
function H.random_split(s, max_piece)
  local pieces, pos = {}, 1
  while pos <= #s do
    local len = math.random(0, max_piece)
    pieces[#pieces + 1] = s:sub(pos, pos + len - 1)
    pos = pos + len
  end
  return pieces
end

return H
