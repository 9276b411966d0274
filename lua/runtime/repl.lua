-- lua.c's interactive mode (doREPL), so `luahttp -i` and a bare `luahttp` on a terminal behave as
-- `lua5.4` does: prompts from _PROMPT/_PROMPT2 ("> ", ">> "), a line tried first as `return <line>`
-- (so expressions print their values), `=expr` as `return expr`, continuation lines while the chunk
-- is incomplete (a syntax error at <eof>), results printed with the global print, errors reported
-- without the program name. Debian's lua5.4 reads lines with readline, which echoes a line read from
-- a pipe; a terminal echoes by itself. So a line is echoed here when stdin is not a terminal.
local load, tostring = load, tostring
local stdin, stdout, report
local stdintty = false

local function prompt(first)
  local p = _G[first and "_PROMPT" or "_PROMPT2"]
  if type(p) ~= "string" and type(p) ~= "number" then p = first and "> " or ">> " end
  return tostring(p)
end

-- pushline: nil at end of input.
local function readline(first)
  stdout:write(prompt(first))
  stdout:flush()
  local line = stdin:read("L")
  if line == nil then return nil end
  line = line:gsub("\n$", "")
  if not stdintty then stdout:write(line, "\n") stdout:flush() end
  if first and line:sub(1, 1) == "=" then return "return " .. line:sub(2) end
  return line
end

local function incomplete(err)
  return type(err) == "string" and err:sub(-5) == "<eof>"
end

-- loadline: the chunk, or nil and the error message; false at end of input.
local function loadline()
  local line = readline(true)
  if line == nil then return false end
  local f = load("return " .. line, "=stdin")
  if f then return f end
  while true do
    local g, err = load(line, "=stdin")
    if g then return g end
    if not incomplete(err) then return nil, err end
    local more = readline(false)
    -- lua.c 5.4 has already dropped the message here and reports "(null)": so does this.
    if more == nil then return nil, "(null)" end
    line = line .. "\n" .. more
  end
end

local function show(r)
  if r.n > 1 then
    local ok, err = pcall(print, table.unpack(r, 2, r.n))
    if not ok then report(("error calling 'print' (%s)"):format(tostring(err))) end
  end
end

--- Runs the REPL until end of input. docall(f) → ok, packed results (reports its own errors).
return function(docall, reporter, tty)
  stdin, stdout, stdintty, report = io.stdin, io.stdout, tty, reporter
  while true do
    local f, err = loadline()
    if f == false then break end
    if f then
      local ok, r = docall(f)
      if ok then show(r) end
    else
      report(err)
    end
  end
  stdout:write("\n")
  stdout:flush()
end
