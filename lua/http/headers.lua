-- http.headers with lua-http 0.4's observable behaviour, written for luahttp: an ordered list of
-- (name, value, never_index) entries where a name may repeat (Set-Cookie), plus a name -> positions
-- index so lookups do not scan. Names are kept as given: lua-http does not lower-case or validate them.
local setmetatable, error, format = setmetatable, error, string.format
local concat, tsort, unpack = table.concat, table.sort, table.unpack

-- HTTP/2 "never indexed" fields: credentials stay out of HPACK tables unless the script says otherwise.
local SENSITIVE = {
  authorization = true,
  ["proxy-authorization"] = true,
  cookie = true,
  ["set-cookie"] = true,
}

local function defaultflag(name, never_index)
  if never_index == nil then return SENSITIVE[name] or false end
  return never_index
end

local entry_methods = {}
local entry_mt = { __name = "http.headers.entry", __index = entry_methods }

local function newentry(name, value, never_index)
  return setmetatable({ name = name, value = value, never_index = defaultflag(name, never_index) }, entry_mt)
end

function entry_methods:modify(value, never_index)
  self.value = value
  self.never_index = defaultflag(self.name, never_index)
end

function entry_methods:unpack()
  return self.name, self.value, self.never_index
end

function entry_methods:clone()
  return newentry(self.name, self.value, self.never_index)
end

local methods = {}
local mt = { __name = "http.headers", __index = methods }

local function indexadd(index, name, pos)
  local list = index[name]
  if list then
    list.n = list.n + 1
    list[list.n] = pos
  else
    index[name] = { n = 1, pos }
  end
end

local function reindex(self)
  local index = {}
  for i = 1, self._n do indexadd(index, self._data[i].name, i) end
  self._index = index
end

local function new()
  return setmetatable({ _n = 0, _data = {}, _index = {} }, mt)
end

function methods:len()
  return self._n
end
mt.__len = methods.len

function mt:__tostring()
  return format("http.headers{%d headers}", self._n)
end

function methods:clone()
  local copy = new()
  for i = 1, self._n do copy._data[i] = self._data[i]:clone() end
  copy._n = self._n
  reindex(copy)
  return copy
end

function methods:append(name, value, never_index)
  local n = self._n + 1
  self._data[n] = newentry(name, value, never_index)
  indexadd(self._index, name, n)
  self._n = n
end

-- Iterates name, value, never_index in order; also what pairs(headers) gives.
function methods:each()
  local i = 0
  return function(h)
    if i >= h._n then return nil end
    i = i + 1
    return h._data[i]:unpack()
  end, self
end
mt.__pairs = methods.each

function methods:has(name)
  return self._index[name] ~= nil
end

function methods:delete(name)
  local list = self._index[name]
  if not list then return false end
  local kept, k = {}, 0
  for i = 1, self._n do
    local e = self._data[i]
    if e.name ~= name then k = k + 1; kept[k] = e end
  end
  self._data, self._n = kept, k
  reindex(self)
  return true
end

function methods:geti(i)
  local e = self._data[i]
  if e == nil then return nil end
  return e:unpack()
end

function methods:get_as_sequence(name)
  local list = self._index[name]
  local seq = { n = list and list.n or 0 }
  for i = 1, seq.n do seq[i] = self._data[list[i]].value end
  return seq
end

function methods:get(name)
  local seq = self:get_as_sequence(name)
  return unpack(seq, 1, seq.n)
end

function methods:get_comma_separated(name)
  local seq = self:get_as_sequence(name)
  if seq.n == 0 then return nil end
  return concat(seq, ",", 1, seq.n)
end

function methods:modifyi(i, value, never_index)
  local e = self._data[i]
  if e == nil then error("invalid index") end
  e:modify(value, never_index)
end

function methods:upsert(name, value, never_index)
  local list = self._index[name]
  if list == nil then return self:append(name, value, never_index) end
  assert(list.n == 1, "Cannot upsert multi-valued field")
  self._data[list[1]]:modify(value, never_index)
end

-- Pseudo-headers (":status", ":method" …) first, as HTTP/2 requires; then by name, value, and
-- never_index entries before the others.
local function before(a, b)
  if a.name ~= b.name then
    local ap, bp = a.name:sub(1, 1) == ":", b.name:sub(1, 1) == ":"
    if ap ~= bp then return ap end
    return a.name < b.name
  end
  if a.value ~= b.value then return a.value < b.value end
  return a.never_index and not b.never_index
end

function methods:sort()
  tsort(self._data, before)
  reindex(self)
end

function methods:dump(file, prefix)
  file = file or io.stderr
  prefix = prefix or ""
  for name, value in self:each() do
    assert(file:write(format("%s%s: %s\n", prefix, name, value)))
  end
  assert(file:flush())
end

return {
  new = new,
  methods = methods,
  mt = mt,
}
