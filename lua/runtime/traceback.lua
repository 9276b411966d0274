-- debug.traceback (and the CLI's error tracebacks) as lauxlib's luaL_traceback writes them, with one
-- difference that makes them read as native ones: what native Lua does in C (io, print, LuaSocket's
-- core) luahttp does partly in Lua, and those frames would show luahttp's install paths. A run of
-- luahttp's own frames, with the C functions they call, shows as the one "[C]: in <name>" line that
-- native shows for its C function, named as the caller named it.
local ourprefix = ...

local getinfo, getregistry, running = debug.getinfo, debug.getregistry, coroutine.running
local type, next, rawequal, select, tostring, tonumber = type, next, rawequal, select, tostring, tonumber
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
  if info.istailcall then s = s .. "\n\t(...tail calls...)" end
  return s
end

-- One entry per frame as native Lua would have it, innermost first: a run of luahttp's frames, with
-- the C functions they call, counts as one C frame, named by the frame the run was entered through.
local function nativeframes(co)
  local frames = {}
  local level = co and 0 or 3 -- here: 1 is this function, 2 the traceback body, 3 the C entry (level 0)
  while true do
    local info
    if co then info = getinfo(co, level, "Slntf") else info = getinfo(level, "Slntf") end
    if not info then break end
    frames[#frames + 1] = info
    level = level + 1
  end
  local out, i = {}, 1
  if not co and frames[1] then
    -- Level 0 is the C entry, with its caller when that is luahttp's (a message handler): the
    -- error function below them is level 1, as under lua.c's C message handler.
    out[1] = line(frames[1], false)
    i = (frames[2] and ours(frames[2])) and 3 or 2
  end
  while i <= #frames do
    local j = i
    while j <= #frames do
      local g, caller = frames[j], frames[j + 1]
      if ours(g) or (g.what == "C" and caller and ours(caller)) then j = j + 1 else break end
    end
    if j > i then
      out[#out + 1] = line(frames[j - 1], true)
      i = j
    else
      out[#out + 1] = line(frames[i], false)
      i = i + 1
    end
  end
  return out
end

-- debug.traceback([thread,] [message [, level]]), called through sys.tracebackfunction's C entry,
-- which has checked level.
return function(...)
  local co, msg, level = nil, ...
  if type(msg) == "thread" then co, msg, level = msg, level, (select(3, ...)) end
  if msg ~= nil and type(msg) ~= "string" and type(msg) ~= "number" then return msg end
  if co == running() then co = nil end
  level = level == nil and (co and 0 or 1) or tointeger(tonumber(level))
  local lines = level >= 0 and nativeframes(co) or {}
  local out = { msg ~= nil and tostring(msg) .. "\n" or "", "stack traceback:" }
  local first, n = level + 1, #lines
  if n - first + 1 > LEVELS1 + LEVELS2 + 1 then
    for k = first, first + LEVELS1 - 1 do out[#out + 1] = lines[k] end
    out[#out + 1] = sformat("\n\t...\t(skipping %d levels)", n - first + 1 - LEVELS1 - LEVELS2 - 1)
    for k = n - LEVELS2 + 1, n do out[#out + 1] = lines[k] end
  else
    for k = first, n do out[#out + 1] = lines[k] end
  end
  return concat(out)
end
