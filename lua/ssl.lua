-- LuaSec's `ssl` module, only as far as luahttp provides it: the fields scripts read. Wrapping a raw
-- socket (ssl.wrap, ssl.newcontext, conn:dohandshake) needs luahttp's raw sockets; until then these
-- raise a clear error instead of loading LuaSec's C library, which cannot run here.
local _M = {
  _VERSION = "1.2.0",
  _COPYRIGHT = "LuaSec 1.2.0 - Copyright (C) 2006-2022 Bruno Silvestre, UFG",
}

local function unsupported(name)
  return function()
    error("luahttp: ssl." .. name .. " is not supported yet (use ssl.https or socket.http for https)", 2)
  end
end

-- What Node's TLS offers (LuaSec fills this from OpenSSL at build time).
_M.config = {
  protocols = { tlsv1_2 = true, tlsv1_3 = true },
  capabilities = { alpn = true, curves_list = true },
}

_M.newcontext = unsupported("newcontext")
_M.wrap = unsupported("wrap")
_M.loadcertificate = unsupported("loadcertificate")

return _M
