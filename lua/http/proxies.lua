-- http.proxies of lua-http 0.4 (issue 15): which proxy a request goes through, from the environment
-- as lua-http reads it (http_proxy, https_proxy/HTTPS_PROXY, all_proxy/ALL_PROXY, no_proxy/NO_PROXY;
-- under CGI only CGI_HTTP_PROXY, against "httpoxy"). Behaviour follows lua-http; the code is luahttp's.
local setmetatable, type = setmetatable, type

local methods = {}
local mt = { __name = "http.proxies", __index = methods }

local function new()
  return setmetatable({}, mt)
end

function methods:update(getenv)
  getenv = getenv or os.getenv
  if getenv("GATEWAY_INTERFACE") then
    self.http_proxy = getenv("CGI_HTTP_PROXY")
  else
    self.http_proxy = getenv("http_proxy")
  end
  self.https_proxy = getenv("https_proxy") or getenv("HTTPS_PROXY")
  self.all_proxy = getenv("all_proxy") or getenv("ALL_PROXY")
  self.no_proxy = getenv("no_proxy") or getenv("NO_PROXY")
  return self
end

-- no_proxy as a set of host suffixes (a leading "." is dropped, as wget allows).
local function suffixes(list)
  local set = {}
  for suffix in list:gmatch("%.?([^,]+)") do set[suffix] = true end
  return set
end

-- Whether host or one of its parent domains is in the set ("example.com" covers "www.example.com").
local function excluded(set, host)
  if set[host] then return true end
  for dot in host:gmatch("()%.") do
    if set[host:sub(dot + 1)] then return true end
  end
  return false
end

--- choose(scheme, host): the proxy URI for a request, or nil for a direct connection.
function methods:choose(scheme, host)
  local no = self.no_proxy
  if no == "*" then return nil end
  if no then
    if type(no) == "string" then
      no = suffixes(no)
      self.no_proxy = no
    end
    if excluded(no, host) then return nil end
  end
  if scheme == "http" and self.http_proxy then return self.http_proxy end
  if scheme == "https" and self.https_proxy then return self.https_proxy end
  return self.all_proxy
end

return {
  new = new,
  methods = methods,
  mt = mt,
}
