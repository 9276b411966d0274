-- http.compat.socket: lua-http 0.4's LuaSocket-style `request` (the socket.http call forms) built on
-- http.request, with the results lua-http gives: body, numeric code, headers (lower-case names,
-- repeated fields joined by ", "), and the bare reason phrase ("OK", not a status line) as the fourth.
-- Differences from socket.http that are lua-http's own, kept: no `create`, lua-http's User-Agent,
-- redirects by http.request's rules, errors "closed"/"timeout" or lua-http's message.
local request = require("http.request")
local version = require("http.version")
local reason_phrases = require("http.h1_reason_phrases")
local monotime = require("cqueues").monotime

local type, assert, error, tonumber, pairs = type, assert, error, tonumber, pairs

-- errno values as lua-http returns them (cqueues.errno on Linux).
local EPIPE, ETIMEDOUT = 32, 110

local M = {
  PROXY = nil,
  -- Seconds for the whole request, body included.
  TIMEOUT = 60,
  USERAGENT = string.format("%s/%s (luasocket compatibility layer)", version.name, version.version),
}

-- ltn12.pump.step's contract, for tables without a `step`.
local function pump_step(src, snk)
  local chunk, src_err = src()
  local ret, snk_err = snk(chunk, src_err)
  if chunk and ret then return 1 end
  return nil, src_err or snk_err
end

local function remaining(deadline)
  return deadline and deadline - monotime()
end

local function body_as_string(stream, deadline)
  local body, err, errno = stream:get_body_as_string(remaining(deadline))
  if body then return body end
  if err == nil then return nil end
  if errno == ETIMEDOUT then return nil, "timeout" end
  return nil, err
end

-- The request body as http.request wants it: a function handing out the source's chunks, driven
-- by `step` (so a custom step sees the source and a sink, as in ltn12.pump).
local function body_from_source(src, step)
  local co = coroutine.create(function()
    while true do assert(step(src, coroutine.yield)) end
  end)
  return function()
    local ok, chunk, err = coroutine.resume(co, true)
    if not ok then error(chunk) end
    if err then error(err) end
    return chunk
  end
end

-- Pumps the response body into the table form's sink; LuaSocket's table form answers 1.
local function body_to_sink(sink, step)
  return function(stream, deadline)
    local function source()
      local chunk, err, errno = stream:get_next_chunk(remaining(deadline))
      if chunk then return chunk end
      if err == nil then return nil end
      if errno == EPIPE then return nil, "closed" end
      if errno == ETIMEDOUT then return nil, "timeout" end
      return nil, err
    end
    while true do
      local ok, err = step(source, sink)
      if not ok then
        if err then return nil, err end
        return 1
      end
    end
  end
end

local function one() return 1 end

--- request(url[, body]) -> body, code, headers, reason | nil, err
--- request{ url, sink, source, headers, method, redirect, nredirects, proxy, host, port, step } -> 1, code, headers, reason
function M.request(reqt, b)
  local deadline = M.TIMEOUT and monotime() + M.TIMEOUT
  local req, proxy, user_headers, get_body
  if type(reqt) == "string" then
    req = request.new_from_uri(reqt)
    proxy = M.PROXY
    if b ~= nil then
      assert(type(b) == "string", "body must be nil or string")
      req.headers:upsert(":method", "POST")
      req:set_body(b)
      req.headers:upsert("content-type", "application/x-www-form-urlencoded")
    end
    get_body = body_as_string
  else
    assert(reqt.create == nil, "'create' option not supported")
    req = request.new_from_uri(reqt.url)
    proxy = reqt.proxy or M.PROXY
    -- host/port change where the request goes, not its Host header.
    if reqt.host ~= nil then req.host = reqt.host end
    if reqt.port ~= nil then req.port = reqt.port end
    if reqt.method ~= nil then
      assert(type(reqt.method) == "string", "'method' option must be nil or string")
      req.headers:upsert(":method", reqt.method)
    end
    if reqt.redirect == false then
      req.follow_redirects = false
    else
      req.max_redirects = 5 - (reqt.nredirects or 0)
    end
    user_headers = reqt.headers
    local step = reqt.step or pump_step
    if reqt.source ~= nil then req:set_body(body_from_source(reqt.source, step)) end
    get_body = reqt.sink ~= nil and body_to_sink(reqt.sink, step) or one
  end
  req.headers:upsert("user-agent", M.USERAGENT)
  req.proxy = proxy or false
  if user_headers then
    for name, field in pairs(user_headers) do
      name = name:lower()
      -- Concatenation coerces as LuaSocket does (numbers become strings, anything else raises).
      field = "" .. field .. ""
      if name == "host" then
        req.headers:upsert(":authority", field)
      else
        req.headers:append(name, field)
      end
    end
  end
  local res_headers, stream, errno = req:go(remaining(deadline))
  if not res_headers then
    if errno == EPIPE or stream == nil then return nil, "closed" end
    if errno == ETIMEDOUT then return nil, "timeout" end
    return nil, stream
  end
  local code = res_headers:get(":status")
  local reason = reason_phrases[code]
  local headers = {}
  for name in res_headers:each() do
    if name ~= ":status" and headers[name] == nil then
      headers[name] = res_headers:get_comma_separated(name)
    end
  end
  local body, err = get_body(stream, deadline)
  stream:shutdown()
  if not body then return nil, err end
  return body, tonumber(code, 10) or code, headers, reason
end

return M
