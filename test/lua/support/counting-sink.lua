-- A sink that records the size of each chunk it gets and how many times it was ended (nil), with a
-- report function: "size,size,…", ends. Loaded with dofile from the repository root.
return function()
  local sizes, ends = {}, 0
  return function(chunk)
    if chunk == nil then ends = ends + 1 else sizes[#sizes + 1] = #chunk end
    return 1
  end, function() return table.concat(sizes, ","), ends end
end
