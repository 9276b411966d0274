-- A binary min-heap of unique payloads keyed by a number: http.cookie's store keeps its cookies in one
-- by expiry time so clean() finds the expired ones without a scan. The method names are those of the
-- `binaryheap` module lua-http uses (insert, remove, peek, pop), so a store's `expiry_heap` field
-- answers the same calls.
local floor = math.floor

local methods = {}
local mt = { __name = "luahttp.http.expiry_heap", __index = methods }

local function swap(self, i, j)
  local items, keys, where = self.items, self.keys, self.where
  items[i], items[j] = items[j], items[i]
  keys[i], keys[j] = keys[j], keys[i]
  where[items[i]], where[items[j]] = i, j
end

local function up(self, i)
  local keys = self.keys
  while i > 1 do
    local parent = floor(i / 2)
    if not (keys[i] < keys[parent]) then return end
    swap(self, i, parent)
    i = parent
  end
end

local function down(self, i)
  local keys, n = self.keys, #self.items
  while true do
    local smallest, l = i, 2 * i
    if l <= n and keys[l] < keys[smallest] then smallest = l end
    if l + 1 <= n and keys[l + 1] < keys[smallest] then smallest = l + 1 end
    if smallest == i then return end
    swap(self, i, smallest)
    i = smallest
  end
end

function methods:insert(key, payload)
  assert(self.where[payload] == nil, "payload already in the heap")
  local n = #self.items + 1
  self.items[n], self.keys[n], self.where[payload] = payload, key, n
  up(self, n)
end

function methods:remove(payload)
  local i = self.where[payload]
  if not i then return nil end
  local n = #self.items
  swap(self, i, n)
  self.items[n], self.keys[n], self.where[payload] = nil, nil, nil
  if i < n then
    down(self, i)
    up(self, i)
  end
  return payload
end

--- The payload with the smallest key and that key (nil when empty); it stays in the heap.
function methods:peek()
  return self.items[1], self.keys[1]
end

function methods:pop()
  local payload, key = self.items[1], self.keys[1]
  if payload ~= nil then self:remove(payload) end
  return payload, key
end

return {
  new = function() return setmetatable({ items = {}, keys = {}, where = {} }, mt) end,
}
