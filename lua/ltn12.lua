-- ltn12: sources, sinks, filters and pumps (LuaSocket's LTN12 1.0.3, rewritten for luahttp).
-- Reproduces LuaSocket 3.1.0 observably: same call order into user functions, same chunk
-- sizes (BLOCKSIZE is read at every read, so changing it affects live sources), same values
-- returned (sink.table returns two), same error texts. Defines no globals (LuaSocket only does
-- that when Lua 5.1's `module` exists).

local assert, error, select, type = assert, error, select, type
-- `string.sub` and `table.insert` are called through their library tables where user values
-- reach them, so argument errors name them 'sub' and 'insert' exactly as LuaSocket's do.
local string, table = string, table
local tinsert, tremove, unpack = table.insert, table.remove, table.unpack

local ltn12 = {
  _VERSION = "LTN12 1.0.3",
  -- LuaSocket's block size; sources read it at every call, like the original.
  BLOCKSIZE = 2048,
}

local filter, source, sink, pump = {}, {}, {}, {}
ltn12.filter, ltn12.source, ltn12.sink, ltn12.pump = filter, source, sink, pump

local NIL_FROM_FILTER = "filter returned inappropriate nil"

---------------------------------------------------------------------------
-- filters
---------------------------------------------------------------------------

--- filter.cycle(low, ctx, extra): high-level filter calling `ret, ctx = low(ctx, chunk, extra)`.
function filter.cycle(low, ctx, extra)
  assert(low)
  return function(chunk)
    local out
    out, ctx = low(ctx, chunk, extra)
    return out
  end
end

--- filter.chain(f1, ..., fn): one filter that feeds each filter's output to the next (Wim Couwenberg's scheme).
function filter.chain(...)
  local stages = { ... }
  local count = select("#", ...)
  -- `settled` is the first stage that has not yet been told the input ended; every stage
  -- before it has been flushed. `cursor` is the stage about to be called.
  local settled, cursor = 1, 1
  -- What a stage that asks for more input gets fed again: "" while data flows, and the end
  -- marker (nil or false) for good once the caller has passed one.
  local refill = ""
  return function(chunk)
    if not chunk then refill = chunk end
    while true do
      if cursor == settled then
        chunk = stages[cursor](chunk)
        if chunk == "" or settled == count then return chunk end
        if chunk then
          cursor = cursor + 1
        else
          settled = settled + 1
          cursor = settled
        end
      else
        chunk = stages[cursor](chunk or "")
        if chunk == "" then
          cursor = cursor - 1
          chunk = refill
        elseif not chunk then
          error(NIL_FROM_FILTER)
        elseif cursor == count then
          return chunk
        else
          cursor = cursor + 1
        end
      end
    end
  end
end

---------------------------------------------------------------------------
-- sources
---------------------------------------------------------------------------

local function empty_source() return nil end

--- source.empty(): the shared source that ends at once (same function object every call).
function source.empty()
  return empty_source
end

--- source.error(err): a source whose every call returns nil, err.
function source.error(err)
  return function() return nil, err end
end

--- source.file(handle [, io_err]): reads BLOCKSIZE bytes per call, closes handle at EOF; no handle → error source.
function source.file(handle, io_err)
  if not handle then return source.error(io_err or "unable to open file") end
  return function()
    local chunk = handle:read(ltn12.BLOCKSIZE)
    if not chunk then handle:close() end
    return chunk
  end
end

--- source.simplify(src): turns a fancy source (chunk, newsource) into a plain one.
function source.simplify(src)
  assert(src)
  return function()
    local chunk, extra = src()
    src = extra or src
    if chunk then return chunk end
    return nil, extra
  end
end

--- source.string(s): returns s in BLOCKSIZE slices; nil s → the empty source.
function source.string(s)
  if not s then return source.empty() end
  local pos = 1
  return function()
    local size = ltn12.BLOCKSIZE
    local chunk = string.sub(s, pos, pos + size - 1)
    pos = pos + size
    if chunk == "" then return nil end
    return chunk
  end
end

--- source.table(t): returns t[1], t[2], ... (the index keeps advancing after the end, as in LuaSocket).
function source.table(t)
  assert(type(t) == "table")
  local n = 0
  return function()
    n = n + 1
    return t[n]
  end
end

--- source.rewind(src): source that also accepts src(chunk) to push a chunk back (LIFO).
function source.rewind(src)
  assert(src)
  local pushed = {}
  return function(chunk)
    if chunk then
      tinsert(pushed, chunk)
      return
    end
    local back = tremove(pushed)
    if back then return back end
    return src()
  end
end

--- source.chain(src, f, ...): source whose output is src's data passed through the filter(s).
function source.chain(src, f, ...)
  -- LuaSocket tests only the first extra argument, so a nil there drops the rest.
  if (...) then f = filter.chain(f, ...) end
  assert(src and f)
  local input, output = "", ""
  local draining = false
  local err
  return function()
    if not output then error("source is empty!", 2) end
    while true do
      if draining then
        output = f(input)
        if output == "" then
          if input ~= "" then error('filter returned ""') end
          draining = false
        elseif output then
          return output
        elseif input then
          error(NIL_FROM_FILTER)
        else
          return nil
        end
      else
        input, err = src()
        if err then return nil, err end
        output = f(input)
        if output == "" then
          -- the filter wants more input: keep feeding
        elseif output then
          draining = true
          if input then input = "" end
          return output
        elseif input then
          error(NIL_FROM_FILTER)
        else
          return nil
        end
      end
    end
  end
end

--- source.cat(src1, src2, ...): source producing each source's data in turn (ends with no values).
function source.cat(...)
  local list = { ... }
  local at = 1
  return function()
    local src = list[at]
    while src do
      local chunk, err = src()
      if chunk then return chunk end
      if err then return nil, err end
      at = at + 1
      src = list[at]
    end
  end
end

---------------------------------------------------------------------------
-- sinks
---------------------------------------------------------------------------

--- sink.table([t]): sink appending chunks to t; returns TWO values, the sink and t.
function sink.table(t)
  t = t or {}
  local function store(chunk)
    if chunk then table.insert(t, chunk) end
    return 1
  end
  return store, t
end

--- sink.simplify(snk): turns a fancy sink (ret, newsink) into a plain one.
function sink.simplify(snk)
  assert(snk)
  return function(chunk, err)
    local ok, extra = snk(chunk, err)
    if not ok then return nil, extra end
    snk = extra or snk
    return 1
  end
end

--- sink.file(handle [, io_err]): writes chunks (returns write's results), closes handle at end; no handle → error sink.
function sink.file(handle, io_err)
  if not handle then return sink.error(io_err or "unable to open file") end
  return function(chunk)
    if chunk then return handle:write(chunk) end
    handle:close()
    return 1
  end
end

local function null_sink() return 1 end

--- sink.null(): the shared sink that discards everything (same function object every call).
function sink.null()
  return null_sink
end

--- sink.error(err): a sink whose every call returns nil, err.
function sink.error(err)
  return function() return nil, err end
end

--- sink.chain(f, ..., snk): sink that passes data through the filter(s) before snk.
function sink.chain(f, snk, ...)
  if (...) then
    local parts = { f, snk, ... }
    snk = tremove(parts, #parts)
    f = filter.chain(unpack(parts))
  end
  assert(f and snk)
  return function(chunk, err)
    if chunk == "" then return 1 end
    -- after the data, the filter is flushed with "" (or with the end marker at the end)
    local flush = chunk and ""
    local out = f(chunk)
    while true do
      local ok, snkerr = snk(out, err)
      if not ok then return nil, snkerr end
      if out == flush then return 1 end
      out = f(flush)
    end
  end
end

---------------------------------------------------------------------------
-- pumps
---------------------------------------------------------------------------

--- pump.step(src, snk): moves one chunk; 1 while data flows, else nil, src_err or snk_err.
function pump.step(src, snk)
  local chunk, srcerr = src()
  local ok, snkerr = snk(chunk, srcerr)
  if chunk and ok then return 1 end
  return nil, srcerr or snkerr
end

--- pump.all(src, snk [, step]): pumps until the end (→ 1) or an error (→ nil, err).
function pump.all(src, snk, step)
  assert(src and snk)
  step = step or pump.step
  repeat
    local ok, err = step(src, snk)
    if not ok then
      if err then return nil, err end
      return 1
    end
  until false
end

return ltn12
