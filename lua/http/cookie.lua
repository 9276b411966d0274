-- http.cookie with lua-http 0.4's observable behaviour (RFC 6265 and the SameSite draft), written for
-- luahttp: bake() builds a Set-Cookie value; parse_cookie/parse_cookies/parse_setcookie read headers
-- (cookie_syntax.lua, the grammar lua-http takes from LPeg); a store keeps cookies by domain, path and
-- name, decides what a response may set (store, store_from_request) and what a request sends (lookup,
-- lookup_for_request), expires them (clean) and reads/writes curl's "Netscape" cookie files.
-- lua-http consults a public suffix list only when the C module `psl` is installed; Debian's lua-http
-- (the oracle) has none, and neither has luahttp: a store's `psl` is nil unless a script sets one (any
-- object with an is_public_suffix(domain) method).
local util = require("http.util")
local syntax = require("luahttp.http.cookie_syntax")
local expiry_heap = require("luahttp.http.expiry_heap")

local type, assert, setmetatable, pairs, next, tonumber = type, assert, setmetatable, pairs, next, tonumber
local format, concat, sort, min, max = string.format, table.concat, table.sort, math.min, math.max

local NEVER, ALREADY = math.huge, -math.huge

--- bake(name, value, expiry_time, domain, path, secure_only, http_only, same_site) -> Set-Cookie value
-- Expires for a finite time (Max-Age=0 for -math.huge, nothing for math.huge or nil); the path is
-- encodeURI'd; same_site "strict" or "lax".
local function bake(name, value, expiry_time, domain, path, secure_only, http_only, same_site)
  local out = { name .. "=" .. value }
  if expiry_time and expiry_time ~= NEVER then
    out[#out + 1] = expiry_time == ALREADY and "; Max-Age=0" or "; Expires=" .. util.imf_date(expiry_time)
  end
  if domain then out[#out + 1] = "; Domain=" .. domain end
  if path then out[#out + 1] = "; Path=" .. util.encodeURI(path) end
  if secure_only then out[#out + 1] = "; Secure" end
  if http_only then out[#out + 1] = "; HttpOnly" end
  if same_site then
    if same_site == "strict" then
      out[#out + 1] = "; SameSite=Strict"
    elseif same_site == "lax" then
      out[#out + 1] = "; SameSite=Lax"
    else
      error('invalid value for same_site, expected "strict" or "lax"')
    end
  end
  return concat(out)
end

local function parse_cookie(header)
  return syntax.cookie(header)
end

--- All "cookie" fields of request headers merged into one { name = value } (later ones win).
local function parse_cookies(req_headers)
  local fields = req_headers:get_as_sequence("cookie")
  local cookies = {}
  for i = 1, fields.n do
    local these = parse_cookie(fields[i])
    if these then
      for k, v in pairs(these) do cookies[k] = v end
    end
  end
  return cookies
end

local function parse_setcookie(header)
  return syntax.set_cookie(header)
end

-- Host names compare lower-cased; without a PSL library lua-http refuses anything but ASCII
-- punctuation, letters and digits (so also blanks).
local function canonical_host(s)
  if s:find("[^%p%w]") then return nil end
  return s:lower()
end

-- RFC 6265 5.1.3: s domain-matches domain.
local function domain_match(domain, s)
  if s == domain then return true end
  return s:sub(-#domain) == domain and s:sub(-#domain - 1, -#domain - 1) == "." and not util.is_ip(s)
end

-- RFC 6265 5.1.4: request_path path-matches cookie_path.
local function path_match(cookie_path, request_path)
  if cookie_path == request_path then return true end
  if request_path:sub(1, #cookie_path) ~= cookie_path then return false end
  return cookie_path:sub(-1) == "/" or request_path:sub(#cookie_path + 1, #cookie_path + 1) == "/"
end

-- RFC 6265 5.1.4's default-path: the request path up to (not including) its last "/" before any
-- query; "/" when it has no second "/".
local function default_path(request_path)
  if request_path:sub(1, 1) ~= "/" or not request_path:find("/", 2, true) then return "/" end
  return request_path:match("^([^?]*)/")
end

local cookie_methods = {}
local cookie_mt = { __name = "http.cookie.cookie", __index = cookie_methods }

--- One line of curl's cookie file format.
function cookie_methods:netscape_format()
  return format("%s%s\t%s\t%s\t%s\t%d\t%s\t%s\n",
    self.http_only and "#HttpOnly_" or "",
    self.domain or "unknown",
    self.host_only and "TRUE" or "FALSE",
    self.path,
    self.secure_only and "TRUE" or "FALSE",
    max(0, min(2147483647, self.expiry_time)),
    self.name,
    self.value)
end

local store_methods = {
  psl = nil,
  time = function() return os.time() end,
  max_cookie_length = NEVER,
  max_cookies = NEVER,
  max_cookies_per_domain = NEVER,
}
local store_mt = { __name = "http.cookie.store", __index = store_methods }

local function new_store()
  return setmetatable({
    domains = {},
    expiry_heap = expiry_heap.new(),
    n_cookies = 0,
    n_cookies_per_domain = {},
  }, store_mt)
end

-- RFC 6265 5.3 step 11: put a cookie built by store() or read from a file into the store.
local function add(self, cookie, from_http, now)
  if cookie.expiry_time < now then
    -- An expiry in the past only deletes the cookie it replaces.
    self:remove(cookie.domain, cookie.path, cookie.name)
    return true
  end
  if #cookie.name + 1 + #cookie.value > self.max_cookie_length then return false end
  local domain, name = cookie.domain, cookie.name
  local by_path = self.domains[domain]
  local by_name = by_path and by_path[cookie.path]
  local old = by_name and by_name[name]
  if old then
    -- A script (non-HTTP API) cannot overwrite an HttpOnly cookie.
    if not from_http and old.http_only then return false end
    cookie.creation_time = old.creation_time
    self.expiry_heap:remove(old)
  else
    if self.n_cookies >= self.max_cookies or self.max_cookies_per_domain < 1 then return false end
    if by_path == nil then
      by_name = {}
      self.domains[domain] = { [cookie.path] = by_name }
      self.n_cookies_per_domain[domain] = 1
    else
      -- lua-http 0.4 checks this count but never raises it past the first cookie of a domain (and
      -- remove() lowers it): a limit above 1 is never reached, as here.
      if self.n_cookies_per_domain[domain] >= self.max_cookies_per_domain then return false end
      by_name = by_path[cookie.path]
      if by_name == nil then
        by_name = {}
        by_path[cookie.path] = by_name
      end
    end
    self.n_cookies = self.n_cookies + 1
  end
  by_name[name] = cookie
  self.expiry_heap:insert(cookie.expiry_time, cookie)
  return true
end

--- RFC 6265 5.3: a cookie received in a response to a request for req_domain/req_path.
-- -> true if stored (or deleted by an expiry in the past), false if ignored.
function store_methods:store(req_domain, req_path, req_is_http, req_is_secure, req_site_for_cookies, name, value, params)
  assert(type(req_domain) == "string")
  assert(type(req_path) == "string")
  assert(type(name) == "string")
  assert(type(value) == "string")
  assert(type(params) == "table")
  local now = self.time()
  req_domain = assert(canonical_host(req_domain), "invalid request domain")
  self:clean()

  local cookie = setmetatable({
    name = name, value = value,
    expiry_time = NEVER, persistent = false,
    domain = req_domain, host_only = true, path = nil,
    creation_time = now, last_access_time = now,
    secure_only = not not params.secure, http_only = not not params.httponly,
    same_site = nil,
  }, cookie_mt)

  -- Max-Age (whole seconds, maybe negative) wins over Expires; an Expires that is not an IMF-fixdate
  -- date is ignored (lua-http reads no other date form).
  local max_age = params["max-age"]
  if max_age and max_age:find("^%-?[0-9]+$") then
    local seconds = tonumber(max_age, 10)
    cookie.persistent = true
    cookie.expiry_time = seconds <= 0 and ALREADY or now + seconds
  elseif params.expires then
    local date = syntax.imf_fixdate(params.expires)
    if date then
      cookie.persistent = true
      cookie.expiry_time = os.time(date)
    end
  end

  local domain = params.domain or ""
  if domain:sub(1, 1) == "." then domain = domain:sub(2) end
  domain = canonical_host(domain)
  if not domain then return false end
  if domain ~= "" and self.psl and self.psl:is_public_suffix(domain) then
    if domain ~= req_domain then return false end
    domain = ""
  end
  if domain ~= "" then
    if not domain_match(domain, req_domain) then return false end
    cookie.host_only = false
    cookie.domain = domain
  end

  local path = params.path or ""
  cookie.path = path:sub(1, 1) == "/" and path or default_path(req_path)

  if cookie.secure_only and not req_is_secure then return false end
  if cookie.http_only and not req_is_http then return false end

  -- Leave Secure Cookies Alone: an insecure response cannot shadow a secure cookie of that name.
  if not req_is_secure and not cookie.secure_only then
    for d, by_path in pairs(self.domains) do
      if domain_match(cookie.domain, d) or domain_match(d, cookie.domain) then
        for p, by_name in pairs(by_path) do
          local other = by_name[name]
          if other and other.secure_only and path_match(p, cookie.path) then return false end
        end
      end
    end
  end

  local same_site = params.samesite
  if same_site then
    same_site = same_site:lower()
    if same_site == "lax" or same_site == "strict" then
      if req_domain ~= req_site_for_cookies then return false end
      cookie.same_site = same_site
    end
  end

  -- Cookie prefixes: __Secure- needs Secure; __Host- needs Secure, host-only and path "/".
  if name:sub(1, 9) == "__Secure-" and not cookie.secure_only then return false end
  if name:sub(1, 7) == "__Host-" and not (cookie.secure_only and cookie.host_only and cookie.path == "/") then
    return false
  end

  return add(self, cookie, req_is_http, now)
end

-- The request's host: from :authority (without port), else the host connected to.
local function request_domain(req_headers, req_host)
  local authority = req_headers:get(":authority")
  if authority then return (util.split_authority(authority, req_headers:get(":scheme"))) end
  return req_host
end

--- Stores every parseable Set-Cookie of a response to the request with these headers.
function store_methods:store_from_request(req_headers, resp_headers, req_host, req_site_for_cookies)
  local fields = resp_headers:get_as_sequence("set-cookie")
  if fields.n == 0 then return true end
  local domain = request_domain(req_headers, req_host)
  local path = req_headers:get(":path")
  local secure = req_headers:get(":scheme") == "https"
  for i = 1, fields.n do
    local name, value, params = parse_setcookie(fields[i])
    if name then self:store(domain, path, true, secure, req_site_for_cookies, name, value, params) end
  end
  return true
end

--- The value stored under exactly this domain, path and name (nil if none).
function store_methods:get(domain, path, name)
  assert(type(domain) == "string")
  assert(type(path) == "string")
  assert(type(name) == "string")
  self:clean()
  local by_path = self.domains[domain]
  local by_name = by_path and by_path[path]
  local cookie = by_name and by_name[name]
  return cookie and cookie.value or nil
end

--- remove(domain) drops a domain's cookies, remove(domain, path) those of a path, remove(domain, path, name) one.
function store_methods:remove(domain, path, name)
  assert(type(domain) == "string")
  assert(type(path) == "string" or (path == nil and name == nil))
  assert(type(name) == "string" or name == nil)
  local by_path = self.domains[domain]
  if not by_path then return end
  local heap, per_domain = self.expiry_heap, self.n_cookies_per_domain
  local removed = 0
  local function drop_domain()
    self.domains[domain] = nil
    per_domain[domain] = nil
  end
  if path == nil then
    for _, by_name in pairs(by_path) do
      for _, cookie in pairs(by_name) do
        heap:remove(cookie)
        removed = removed + 1
      end
    end
    drop_domain()
  else
    local by_name = by_path[path]
    if by_name then
      if name == nil then
        for _, cookie in pairs(by_name) do
          heap:remove(cookie)
          removed = removed + 1
        end
        by_path[path] = nil
        if next(by_path) == nil then drop_domain() else per_domain[domain] = per_domain[domain] - removed end
      else
        local cookie = by_name[name]
        if cookie then
          heap:remove(cookie)
          removed = 1
          per_domain[domain] = per_domain[domain] - 1
          by_name[name] = nil
          if next(by_name) == nil then
            by_path[path] = nil
            if next(by_path) == nil then drop_domain() end
          end
        end
      end
    end
  end
  self.n_cookies = self.n_cookies - removed
end

-- RFC 6265 5.4 step 2's order: longer paths first, then earlier creation; then by domain and name
-- so the order is total.
local function send_order(a, b)
  if #a.path ~= #b.path then return #a.path > #b.path end
  if a.creation_time ~= b.creation_time then return a.creation_time < b.creation_time end
  if a.domain ~= b.domain then return a.domain < b.domain end
  return a.name < b.name
end

-- RFC 6265 5.4 step 1 (after the domain and path checks) with the SameSite draft's rule: a cross-site
-- request gets a SameSite cookie only if it is Lax and the request is a safe top-level one.
local function may_send(cookie, req_domain, req_is_http, req_is_secure, req_is_safe_method, req_site_for_cookies, req_is_top_level)
  if cookie.host_only and cookie.domain ~= req_domain then return false end
  if cookie.http_only and not req_is_http then return false end
  if cookie.secure_only and not req_is_secure then return false end
  if cookie.same_site and req_site_for_cookies ~= req_domain then
    return cookie.same_site == "lax" and req_is_safe_method and req_is_top_level and true or false
  end
  return true
end

--- RFC 6265 5.4: the Cookie header value for a request ("" when nothing matches).
function store_methods:lookup(req_domain, req_path, req_is_http, req_is_secure, req_is_safe_method, req_site_for_cookies, req_is_top_level, max_cookie_length)
  req_domain = assert(type(req_domain) == "string" and canonical_host(req_domain), "invalid request domain")
  assert(type(req_path) == "string")
  if max_cookie_length ~= nil then
    assert(type(max_cookie_length) == "number")
  else
    max_cookie_length = self.max_cookie_length
  end
  local now = self.time()
  self:clean()
  local list, n = {}, 0
  for domain, by_path in pairs(self.domains) do
    if domain_match(domain, req_domain) then
      for path, by_name in pairs(by_path) do
        if path_match(path, req_path) then
          for _, cookie in pairs(by_name) do
            if may_send(cookie, req_domain, req_is_http, req_is_secure, req_is_safe_method, req_site_for_cookies, req_is_top_level) then
              cookie.last_access_time = now
              n = n + 1
              list[n] = cookie
            end
          end
        end
      end
    end
  end
  sort(list, send_order)
  -- Pairs replace their cookies in the list while the header fits max_cookie_length. lua-http 0.4
  -- then joins the whole list, so a header that would grow past the limit raises table.concat's
  -- "invalid value" error rather than being cut short; kept, as scripts see it.
  local length = -2
  for i = 1, n do
    local cookie = list[i]
    local pair = cookie.name .. "=" .. cookie.value
    length = length + #pair + 2
    if length > max_cookie_length then break end
    list[i] = pair
  end
  return concat(list, "; ", 1, n)
end

--- lookup() for a request given by its headers (pseudo-headers :method, :scheme, :authority, :path).
function store_methods:lookup_for_request(req_headers, req_host, req_site_for_cookies, req_is_top_level, max_cookie_length)
  local method = req_headers:get(":method")
  if method == "CONNECT" then return "" end
  return self:lookup(request_domain(req_headers, req_host), req_headers:get(":path"), true,
    req_headers:get(":scheme") == "https", util.is_safe_method(method), req_site_for_cookies, req_is_top_level,
    max_cookie_length)
end

--- When the next cookie expires (math.huge if none will).
function store_methods:clean_due()
  local _, expiry = self.expiry_heap:peek()
  if expiry == nil then return NEVER end
  return expiry
end

--- Drops the cookies whose expiry time has passed.
function store_methods:clean()
  local now = self.time()
  while self:clean_due() < now do
    local cookie = self.expiry_heap:pop()
    self.n_cookies = self.n_cookies - 1
    local domain = cookie.domain
    local by_path = self.domains[domain]
    if by_path then
      self.n_cookies_per_domain[domain] = self.n_cookies_per_domain[domain] - 1
      local by_name = by_path[cookie.path]
      if by_name then
        by_name[cookie.name] = nil
        if next(by_name) == nil then
          by_path[cookie.path] = nil
          if next(by_path) == nil then
            self.domains[domain] = nil
            self.n_cookies_per_domain[domain] = nil
          end
        end
      end
    end
  end
  return true
end

local FLAGS = { TRUE = true, FALSE = false }

-- One line of a cookie file (curl's format: domain, host-only flag, path, secure flag, expiry,
-- name, value, tab-separated; "#HttpOnly_" before an HttpOnly cookie's domain, other "#" lines are
-- comments) -> a cookie, or nil for a comment, a blank or a malformed line.
local function from_file_line(line, now)
  local http_only = false
  if line:sub(1, 1) == "#" then
    if line:sub(1, 10) ~= "#HttpOnly_" then return nil end
    http_only = true
    line = line:sub(11)
  end
  -- Six tab-ended fields, none empty, then the value (the rest of the line, tabs included).
  local fields, pos = {}, 1
  for i = 1, 6 do
    local tab = line:find("\t", pos, true)
    if not tab or tab == pos then return nil end
    fields[i] = line:sub(pos, tab - 1)
    pos = tab + 1
  end
  local value = line:sub(pos)
  if value == "" or not fields[5]:find("^%d+$") then return nil end
  local domain = fields[1]
  if domain:sub(1, 1) == "." and #domain > 1 then domain = domain:sub(2) end
  domain = canonical_host(domain)
  local host_only, secure_only = FLAGS[fields[2]], FLAGS[fields[4]]
  if domain == nil or host_only == nil or secure_only == nil then return nil end
  local expiry = tonumber(fields[5], 10)
  return setmetatable({
    name = fields[6], value = value,
    expiry_time = expiry,
    domain = domain, path = fields[3],
    creation_time = now, last_access_time = now,
    -- As lua-http 0.4 (the flag is only informational): "persistent" when the expiry is 0.
    persistent = expiry == 0,
    host_only = host_only, secure_only = secure_only, http_only = http_only,
    same_site = nil,
  }, cookie_mt)
end

--- Adds the cookies of a file in curl's format (read line by line with file:read()).
function store_methods:load_from_file(file)
  local now = self.time()
  self:clean()
  local cookies = {}
  while true do
    local line, err, errno = file:read()
    if not line then
      if err ~= nil then return nil, err, errno end
      break
    end
    cookies[#cookies + 1] = from_file_line(line, now)
  end
  for _, cookie in ipairs(cookies) do add(self, cookie, cookie.http_only, now) end
  return true
end

--- Writes every cookie in curl's format (in no particular order).
function store_methods:save_to_file(file)
  local ok, err, errno = file:write("# Netscape HTTP Cookie File\n# This file was generated by lua-http\n\n")
  if not ok then return nil, err, errno end
  for _, by_path in pairs(self.domains) do
    for _, by_name in pairs(by_path) do
      for _, cookie in pairs(by_name) do
        ok, err, errno = file:write(cookie:netscape_format())
        if not ok then return nil, err, errno end
      end
    end
  end
  return true
end

return {
  bake = bake,
  parse_cookie = parse_cookie,
  parse_cookies = parse_cookies,
  parse_setcookie = parse_setcookie,
  new_store = new_store,
  store_mt = store_mt,
  store_methods = store_methods,
}
