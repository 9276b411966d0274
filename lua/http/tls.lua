-- http.tls of lua-http 0.4 (issue 15) for luahttp: new_client_context gives a context that verifies
-- the server against the system's trusted certificates, as lua-http's does; a script changes it
-- (setVerify, getStore():add(cafile)) and sets it as a request's ctx. coreoptions() turns a context
-- into the TLS settings of luahttp's HTTP core (the ones ssl.https takes: verify, cafile, capath).
-- ALPN offers HTTP/1.1 only here: luahttp's http.request speaks HTTP/1.1.
local context = require("openssl.ssl.context")

local M = {
  has_alpn = true,
  has_hostname_validation = true,
}

function M.new_client_context()
  local ctx = context.new("TLS", false)
  ctx:getStore():addDefaults()
  ctx:setVerify(context.VERIFY_PEER)
  return ctx
end

--- coreoptions(ctx): verify, and the CA file or directory a script added (nil: the defaults).
function M.coreoptions(ctx)
  if ctx == nil then return { verify = true } end
  local store = ctx.store
  return {
    verify = ctx.mode & context.VERIFY_PEER ~= 0,
    cafile = store.cafile,
    capath = store.capath,
  }
end

return M
