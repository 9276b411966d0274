-- debug.traceback (and the CLI's error tracebacks) as lauxlib's luaL_traceback writes them, with one
-- difference that makes them read as native ones: what native Lua does in C (io, print, LuaSocket's
-- core) luahttp does partly in Lua, and those frames would show luahttp's install paths. A run of
-- luahttp's own frames, with the C functions they call, shows as the one "[C]: in <name>" line that
-- native shows for its C function, named as the caller named it.
local ourprefix = ...

local getinfo, getregistry, running = debug.getinfo, debug.getregistry, coroutine.running
local type, next, rawequal, select, tostring, tonumber = type, next, rawequal, select, tostring, tonumber
local setmetatable = setmetatable
local concat, sformat, tointeger = table.concat, string.format, math.tointeger

local LEVELS1, LEVELS2 = 10, 11 -- lauxlib.c: frames shown before and after "(skipping N levels)"

local function ours(info)
  local src = info.source
  return src:sub(1, #ourprefix) == ourprefix or src == "=luahttp"
end

-- lauxlib's findfield: "mod.name" of the value among package.loaded's first two levels (raw order).
local function findfield(obj, t, depth)
  if depth == 0 or type(t) ~= "table" then return nil end
  for k, v in next, t do
    if type(k) == "string" then
      if rawequal(v, obj) then return k end
      local sub = findfield(obj, v, depth - 1)
      if sub then return k .. "." .. sub end
    end
  end
  return nil
end

-- lauxlib's pushfuncname; `asC` names one of our Lua functions as the C function it stands for.
local function funcname(info, asC)
  local g = findfield(info.func, getregistry()._LOADED, 2)
  if g then
    if g:sub(1, 3) == "_G." then g = g:sub(4) end
    return "function '" .. g .. "'"
  end
  if info.namewhat ~= "" then return info.namewhat .. " '" .. info.name .. "'" end
  if asC then return "?" end
  if info.what == "main" then return "main chunk" end
  if info.what ~= "C" then return sformat("function <%s:%d>", info.short_src, info.linedefined) end
  return "?"
end

local function line(info, asC)
  local where
  if asC then where = "[C]: in "
  elseif info.currentline <= 0 then where = info.short_src .. ": in "
  else where = info.short_src .. ":" .. info.currentline .. ": in " end
  local s = "\n\t" .. where .. funcname(info, asC)
  -- Tail calls inside luahttp's code are its own business, as calls inside a C function are.
  if info.istailcall and not asC then s = s .. "\n\t(...tail calls...)" end
  return s
end

-- Frame levels as getinfo counts them from a helper called by the traceback body: 1 is the helper,
-- 2 the body, 3 the C entry (level 0 of the caller's traceback).
local HERE_BASE = 3

-- The native-equivalent frames, innermost first, as the raw level of the frame that names each and
-- whether it shows as C. A run of luahttp's frames, with the C functions they call, counts as one C
-- frame, named by the frame the run was entered through. Only sources are read here: a stack
-- overflow has ~200,000 frames and only 21 are shown.
local function nativeframes(co)
  local base = co and 0 or HERE_BASE
  local function kind(k)
    local info
    -- (on this thread kind() itself is one level deeper than the helpers called by the body)
    if co then info = getinfo(co, base + k - 1, "S") else info = getinfo(base + k, "S") end
    if not info then return nil end
    return ours(info) and "ours" or info.what == "C" and "C" or "script"
  end
  -- Depth by doubling and bisection, as lauxlib's lastlevel: getinfo walks the stack from the top,
  -- so reading every level of a stack overflow (~200,000 frames) would be quadratic.
  local lo, hi = 0, 1
  while kind(hi) do lo, hi = hi, hi * 2 end
  while hi - lo > 1 do
    local mid = (lo + hi) // 2
    if kind(mid) then lo = mid else hi = mid end
  end
  local depth = lo
  -- Every level near either end is read; deeper in a huge stack each level counts as one frame (no
  -- more than the shown ends and the "skipping" count depend on them).
  local EDGE = 4 * (LEVELS1 + LEVELS2)
  local kinds = setmetatable({}, { __index = function() return "script" end })
  for k = 1, depth do
    if k <= EDGE or k > depth - EDGE then kinds[k] = kind(k) end
  end
  local levels, asC = {}, {}
  local i = 1
  if not co and depth > 0 then
    -- Level 0 is the C entry, with its caller when that is luahttp's (a message handler): the
    -- error function below them is level 1, as under lua.c's C message handler.
    levels[1], asC[1] = base, false
    i = kinds[2] == "ours" and 3 or 2
  end
  while i <= depth do
    local j = i
    while j <= depth and (kinds[j] == "ours" or (kinds[j] == "C" and kinds[j + 1] == "ours")) do j = j + 1 end
    levels[#levels + 1] = base + (j > i and j - 2 or i - 1)
    asC[#asC + 1] = j > i
    i = j > i and j or i + 1
  end
  return levels, asC
end

local function render(co, level, asC)
  local info
  if co then info = getinfo(co, level, "Slntf") else info = getinfo(level, "Slntf") end
  return line(info, asC)
end

-- debug.traceback([thread,] [message [, level]]), called through sys.tracebackfunction's C entry,
-- which has checked level.
return function(...)
  local co, msg, level = nil, ...
  if type(msg) == "thread" then co, msg, level = msg, level, (select(3, ...)) end
  if msg ~= nil and type(msg) ~= "string" and type(msg) ~= "number" then return msg end
  if co == running() then co = nil end
  level = level == nil and (co and 0 or 1) or tointeger(tonumber(level))
  local out = { msg ~= nil and tostring(msg) .. "\n" or "", "stack traceback:" }
  if level < 0 then return concat(out) end
  local levels, asC = nativeframes(co)
  local first, n = level + 1, #levels
  local last1, skip = n, 0
  if n - first + 1 > LEVELS1 + LEVELS2 + 1 then last1, skip = first + LEVELS1 - 1, n - first + 1 - LEVELS1 - LEVELS2 end
  -- render() is called from here, at the depth nativeframes() was: their levels agree.
  for k = first, last1 do out[#out + 1] = render(co, levels[k], asC[k]) end
  if skip > 0 then
    out[#out + 1] = sformat("\n\t...\t(skipping %d levels)", skip - 1)
    for k = n - LEVELS2 + 1, n do out[#out + 1] = render(co, levels[k], asC[k]) end
  end
  return concat(out)
end
