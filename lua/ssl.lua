-- LuaSec 1.2.0's `ssl` module over luahttp's TLS: ssl.newcontext, ssl.wrap, ssl.loadcertificate and
-- ssl.config, with wrapped connections and certificate objects as LuaSec's (src/cores/ssl/). Node
-- does the TLS (src/io/tls-upgrade.ts). Deliberate differences (README, Porting): a client context
-- verifies the peer and its host name unless it says verify = "none"; a failed handshake stays failed.
local core = require("luahttp.core.ssl")
-- Forget the core's module name, so argument errors name `ssl.loadcertificate`, as with LuaSec.
package.loaded["luahttp.core.ssl"] = nil

local type, ipairs, pairs = type, ipairs, pairs

local _M = {
  _VERSION = "1.2.0",
  _COPYRIGHT = "LuaSec 1.2.0 - Copyright (C) 2006-2022 Bruno Silvestre, UFG",
}

-- What Node's TLS offers (LuaSec fills this from OpenSSL at build time).
_M.config = {
  protocols = { tlsv1_2 = true, tlsv1_3 = true },
  capabilities = { alpn = true, curves_list = true },
  algorithms = { ec = true },
}

-- A key's password may be a function returning it (LuaSec hands it to OpenSSL's PEM callback, which
-- calls it for an encrypted key); here it is called once, for each certificate entry with a key.
local function withpassword(entry)
  if entry.key and type(entry.password) == "function" then
    local copy = {}
    for k, v in pairs(entry) do copy[k] = v end
    local pw = entry.password()
    copy.password = type(pw) == "string" and pw or ""
    return copy
  end
  return entry
end

--- ssl.newcontext(params) → context | nil, msg (LuaSec's parameter names and error messages).
function _M.newcontext(cfg)
  local certificates = cfg.certificates
  local params = withpassword(cfg)
  if type(certificates) == "table" then
    local list = {}
    for i, entry in ipairs(certificates) do list[i] = type(entry) == "table" and withpassword(entry) or entry end
    if params == cfg then
      params = {}
      for k, v in pairs(cfg) do params[k] = v end
    end
    params.certificates = list
  end
  return core.newcontext(params)
end

--- ssl.wrap(sock, params | context) → connection | nil, msg. The TCP object gives its connection
--- away (its getfd() becomes -1), as in LuaSec.
function _M.wrap(sock, cfg)
  local ctx = cfg
  if type(cfg) == "table" then
    local msg
    ctx, msg = _M.newcontext(cfg)
    if not ctx then return nil, msg end
  end
  return core.wrap(sock, ctx)
end

--- ssl.loadcertificate(pem) → certificate | nil.
_M.loadcertificate = core.loadcertificate

return _M
