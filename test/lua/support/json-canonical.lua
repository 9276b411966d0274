-- JSON text with every object's members sorted by their raw text, the rest untouched byte for byte:
-- lua-cjson writes members in `next` order, which follows the per-process string hash seed even in
-- native lua5.4, so two encodings are compared after this. Knows nothing of cjson: it only splits
-- the text at the structural characters outside strings.
local find, sub, byte, concat, sort = string.find, string.sub, string.byte, table.concat, table.sort

local canonical

-- Returns the canonical text of the value starting at i and the index after it.
function canonical(s, i)
  local c = byte(s, i)
  if c == 123 or c == 91 then -- { or [
    local close = c == 123 and 125 or 93
    local items, j = {}, i + 1
    if byte(s, j) == close then return sub(s, i, j), j + 1 end
    while true do
      local key = ""
      if c == 123 then
        local _, e = find(s, '^"[^"\\]*', j)
        while byte(s, e + 1) == 92 do _, e = find(s, '^[^"\\]*', e + 3) end
        key = sub(s, j, e + 2) -- the key and its colon
        j = e + 3
      end
      local value
      value, j = canonical(s, j)
      items[#items + 1] = key .. value
      if byte(s, j) == close then break end
      j = j + 1 -- the comma
    end
    if c == 123 then sort(items) end
    return string.char(c) .. concat(items, ",") .. string.char(close), j + 1
  end
  if c == 34 then
    local _, e = find(s, '^"[^"\\]*', i)
    while byte(s, e + 1) == 92 do _, e = find(s, '^[^"\\]*', e + 3) end
    return sub(s, i, e + 1), e + 2
  end
  local _, e = find(s, "^[^,%]}]+", i)
  return sub(s, i, e), e + 1
end

return function(s)
  if type(s) ~= "string" or s == "" then return s end
  return (canonical(s, 1))
end
