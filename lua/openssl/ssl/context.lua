-- The part of luaossl's openssl.ssl.context that lua-http scripts use to configure verification
-- (issue 15): new, setVerify/getVerify, getStore with add (a CA file or a hashed directory) and
-- addDefaults, the VERIFY_* flags. A request's ctx becomes luahttp's TLS settings (lua/http/tls.lua);
-- nothing else of OpenSSL's context (ciphers, keys, ALPN) is offered.
local EISDIR = 21

local setmetatable, type, format, tostring = setmetatable, type, string.format, tostring

local M = {
  VERIFY_NONE = 0,
  VERIFY_PEER = 1,
  VERIFY_FAIL_IF_NO_PEER_CERT = 2,
  VERIFY_CLIENT_ONCE = 4,
}

-- The protocol names luaossl's new() takes.
local PROTOCOLS = {
  SSL = true, TLS = true, SSLv2 = true, SSLv3 = true, SSLv23 = true,
  TLSv1 = true, TLSv1_1 = true, TLSv1_2 = true, ["TLSv1.1"] = true, ["TLSv1.2"] = true,
  DTLS = true, DTLSv1 = true, DTLSv1_2 = true, ["DTLSv1.2"] = true,
}

local store_methods = {}
local store_mt = { __name = "X509_STORE*", __index = store_methods }
store_mt.__tostring = function(self) return format("X509_STORE*: %s", self.id) end

--- store:add(path): trusts the certificates of a PEM file, or of a directory of hashed names.
function store_methods:add(path)
  if type(path) ~= "string" then error("bad argument #2 to 'add' (luahttp takes a file or directory path)", 2) end
  -- io, not lfs: requiring lfs would set the global `lfs` behind the script's back.
  local f, err = io.open(path, "rb")
  if not f then error(err, 2) end -- "path: strerror", as luaossl words it
  local _, _, errno = f:read(1)
  f:close()
  if errno == EISDIR then self.capath = path else self.cafile = path end
  return self
end

--- store:addDefaults(): the system's trusted certificates (luahttp's default trust store).
function store_methods:addDefaults()
  self.defaults = true
  return self
end

local methods = {}
local mt = { __name = "SSL_CTX*", __index = methods }
mt.__tostring = function(self) return format("SSL_CTX*: %s", self.id) end

local function id(t) return tostring(t):match("0x%x+") or "?" end

function M.new(protocol, server)
  if protocol ~= nil and not PROTOCOLS[protocol] then
    error(format("bad argument #1 to '_openssl.ssl.context.new' (invalid option '%s')", tostring(protocol)), 2)
  end
  if server then error("luahttp: openssl.ssl.context for servers is not provided", 2) end
  local ctx = setmetatable({ mode = M.VERIFY_NONE, depth = -1 }, mt)
  ctx.id = id({})
  local store = setmetatable({}, store_mt)
  store.id = id(store)
  ctx.store = store
  return ctx
end

function methods:setVerify(mode, depth)
  if mode ~= nil then self.mode = math.tointeger(mode) or error("bad argument #2 to 'setVerify' (number has no integer representation)", 2) end
  if depth ~= nil then self.depth = math.tointeger(depth) or error("bad argument #3 to 'setVerify' (number has no integer representation)", 2) end
  return true
end

function methods:getVerify()
  return self.mode, self.depth
end

function methods:getStore()
  return self.store
end

return M
