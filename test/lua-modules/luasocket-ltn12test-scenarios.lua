-- The scenarios of LuaSocket's own test/ltn12test.lua (v3.1.0): sink.table, sink.chain,
-- source.string, pump.all, source.chain and filter.chain, driven through re-chunking filters
-- that police the ltn12 filter contract (a violation raises) and can be asked whether they were
-- drained. Each case prints the return values, the chunk sizes that reached the table sink and
-- whether the bytes came through intact.
local H = require("harness")
local ltn12 = require("ltn12")
H.expect_source("ltn12", ltn12.pump.all)

local show, case = H.show, H.case

-- The contract a filter is fed by ltn12: data chunks, each possibly followed by "" calls until
-- the filter returns "", then nil calls until it returns nil. Returns the complaint or nil.
-- `last_in` is the previous chunk received, `last_out` the previous return (nil = ended).
local function contract_violation(last_in, last_out, chunk)
  if chunk == nil then
    if last_in and last_in ~= "" and last_out ~= "" then return "nil chunk following data chunk" end
    if not last_out then return "extra nil chunk" end
  elseif chunk == "" then
    if last_out == "" then return 'extra "" chunk' end
    if not last_out then return '"" chunk following nil return' end
    if not last_in then return '"" chunk following nil chunk' end
  else
    if not last_in then return "data chunk following nil chunk" end
    if last_in ~= "" and last_out ~= "" then return "data chunk following data chunk" end
  end
  return nil
end

-- A re-chunking filter. "split" hands out the pending bytes `size` at a time; "merge" holds
-- bytes back until `size` are pending (or the input ends). Called as f(nil, true) it answers
-- whether it has seen the end of its input and returned nil.
local function rechunker(mode, size)
  local pending, last_in, last_out = "", "", ""
  return function(chunk, drained_query)
    if drained_query then return last_in == nil and last_out == nil end
    local complaint = contract_violation(last_in, last_out, chunk)
    if complaint then error(complaint, 2) end
    if chunk and chunk ~= "" then
      if mode == "split" then pending = chunk else pending = pending .. chunk end
    end
    local out
    if mode == "split" then
      out, pending = pending:sub(1, size), pending:sub(size + 1)
    elseif chunk == nil or #pending >= size then
      out, pending = pending, ""
    else
      out = ""
    end
    -- an empty result at the end of the input is the filter's own end (nil)
    if out == "" and chunk == nil then out = nil end
    last_in, last_out = chunk, out
    return out
  end
end

local function sizes(t)
  local n = {}
  for i, piece in ipairs(t) do n[i] = #piece end
  return table.concat(n, ",")
end

local function drained(filters)
  local flags = {}
  for i, f in ipairs(filters) do flags[i] = show(f(nil, true)) end
  return table.concat(flags, ",")
end

-- Runs body() under pcall so a contract violation becomes a printed case, not a crash.
local function scenario(label, body)
  local ok, text = pcall(body)
  case(label, ok and text or "error " .. show(H.normalize(text)))
end

scenario("sink.table with growing chunks (incl. an empty one)", function()
  local sink, t = ltn12.sink.table()
  local whole, returns = {}, {}
  for i = 0, 10 do
    local piece = string.char(i):rep(i)
    whole[#whole + 1] = piece
    returns[#returns + 1] = show(sink(piece))
  end
  returns[#returns + 1] = show(sink(nil))
  return table.concat(returns, ",") .. " sizes " .. sizes(t) .. " intact " .. show(table.concat(t) == table.concat(whole))
end)

local digits = "123456789012345678901234567890"

scenario("sink.chain through split(3)", function()
  local t = {}
  local filter = rechunker("split", 3)
  local sink = ltn12.sink.chain(filter, (ltn12.sink.table(t)))
  local r1, r2, r3 = sink(digits), sink(digits), sink(nil)
  return show(r1) .. show(r2) .. show(r3) .. " sizes " .. sizes(t) .. " intact " .. show(table.concat(t) == digits .. digits)
    .. " drained " .. drained({ filter })
end)

local mixed = ("123"):rep(30) .. ("4321"):rep(30)

scenario("sink.chain through merge(10)", function()
  local t = {}
  local filter = rechunker("merge", 10)
  local sink = ltn12.sink.chain(filter, (ltn12.sink.table(t)))
  local returns = {}
  for _ = 1, 30 do returns[#returns + 1] = show(sink("123")) end
  for _ = 1, 30 do returns[#returns + 1] = show(sink("4321")) end
  returns[#returns + 1] = show(sink(nil))
  return table.concat(returns, "") .. " sizes " .. sizes(t) .. " intact " .. show(table.concat(t) == mixed)
    .. " drained " .. drained({ filter })
end)

-- Pumps `source` into a table sink (optionally behind `sink_filter`) and reports the outcome.
local function pump_case(label, source, sink_filter, filters)
  scenario(label, function()
    local t = {}
    local sink = ltn12.sink.table(t)
    if sink_filter then sink = ltn12.sink.chain(sink_filter, sink) end
    local r = H.showlist(2, ltn12.pump.all(source, sink))
    return r .. " sizes " .. sizes(t) .. " intact " .. show(table.concat(t) == mixed) .. " drained " .. drained(filters)
  end)
end

pump_case("source.string into pump.all", ltn12.source.string(mixed), nil, {})

do
  local split5 = rechunker("split", 5)
  pump_case("source.chain through split(5)", ltn12.source.chain(ltn12.source.string(mixed), split5), nil, { split5 })
end

do
  local split5, merge13 = rechunker("split", 5), rechunker("merge", 13)
  pump_case("source.chain split(5), sink.chain merge(13)",
    ltn12.source.chain(ltn12.source.string(mixed), split5), merge13, { split5, merge13 })
end

do
  local split5, merge13 = rechunker("split", 5), rechunker("merge", 13)
  pump_case("filter.chain(split 5, merge 13) as a sink filter",
    ltn12.source.string(mixed), ltn12.filter.chain(split5, merge13), { split5, merge13 })
end

local function five_filters()
  return { rechunker("split", 5), rechunker("merge", 13), rechunker("split", 7), rechunker("merge", 11), rechunker("split", 10) }
end

do
  local fs = five_filters()
  pump_case("filter.chain of five as a sink filter", ltn12.source.string(mixed), ltn12.filter.chain(table.unpack(fs)), fs)
end

do
  local split5, merge13 = rechunker("split", 5), rechunker("merge", 13)
  pump_case("filter.chain(split 5, merge 13) as a source filter",
    ltn12.source.chain(ltn12.source.string(mixed), ltn12.filter.chain(split5, merge13)), nil, { split5, merge13 })
end

do
  local fs = five_filters()
  pump_case("filter.chain of five as a source filter",
    ltn12.source.chain(ltn12.source.string(mixed), ltn12.filter.chain(table.unpack(fs))), nil, fs)
end

-- The policing filters themselves: every breach of the contract is reported. Each row: mode,
-- size, the feed that is accepted, and the chunk that breaks the contract.
local breaches = {
  { "nil while output is pending", "split", 2, table.pack("abc"), nil },
  { "data while output is pending", "split", 2, table.pack("abc"), "def" },
  { "nil after the nil return", "merge", 100, table.pack("abc", nil, nil), nil },
  { "second empty chunk", "merge", 100, table.pack("abc"), "" },
  { "empty chunk after the nil return", "merge", 100, table.pack("abc", nil, nil), "" },
  { "empty chunk after a nil chunk", "merge", 100, table.pack("abc", nil), "" },
  { "data after a nil chunk", "merge", 100, table.pack("abc", nil), "x" },
}
for _, b in ipairs(breaches) do
  scenario("contract: " .. b[1], function()
    local f = rechunker(b[2], b[3])
    local outs = {}
    for i = 1, b[4].n do outs[i] = show(f(b[4][i])) end
    return table.concat(outs, ",") .. " then " .. show(f(b[5]))
  end)
end

H.finish()
