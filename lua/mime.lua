-- mime: LuaSocket 3.1.0's high-level MIME filters (MIME 1.0.3) over mime.core, for luahttp.
-- As in LuaSocket, require("mime") and require("mime.core") are the same table: this module
-- adds its fields to the core table and returns it.

local ltn12 = require("ltn12")
local mime = require("mime.core")

-- ltn12.filter.cycle and the mime.core functions are looked up each time a filter is made,
-- as in LuaSocket, so scripts that replace them see their replacement used.
local error, tostring, type = error, tostring, type

-- Tables of filter factories, open to scripts that register their own encodings.
local encodet, decodet, wrapt = {}, {}, {}
mime.encodet, mime.decodet, mime.wrapt = encodet, decodet, wrapt

-- Dispatcher over a factory table: a non-string first argument selects "default" and shifts
-- the options; an unknown name raises "unknown key (name)" at the caller's caller.
local function dispatcher(factories)
  return function(name, opt1, opt2)
    if type(name) ~= "string" then
      name, opt1, opt2 = "default", name, opt1
    end
    local make = factories[name or "nil"]
    if not make then
      error("unknown key (" .. tostring(name) .. ")", 3)
    end
    return make(opt1, opt2)
  end
end

encodet["base64"] = function()
  return ltn12.filter.cycle(mime.b64, "")
end

encodet["quoted-printable"] = function(mode)
  -- in binary mode line breaks are data and are encoded too
  local marker = mode == "binary" and "=0D=0A" or "\r\n"
  return ltn12.filter.cycle(mime.qp, "", marker)
end

decodet["base64"] = function()
  return ltn12.filter.cycle(mime.unb64, "")
end

decodet["quoted-printable"] = function()
  return ltn12.filter.cycle(mime.unqp, "")
end

local function text_wrapper(length)
  length = length or 76
  return ltn12.filter.cycle(mime.wrp, length, length)
end
wrapt["text"] = text_wrapper
wrapt["base64"] = text_wrapper
wrapt["default"] = text_wrapper

wrapt["quoted-printable"] = function()
  return ltn12.filter.cycle(mime.qpwrp, 76, 76)
end

--- mime.encode(name [, mode]): ltn12 filter for "base64" or "quoted-printable" ("binary" | "text") from mime.encodet.
mime.encode = dispatcher(encodet)
--- mime.decode(name): ltn12 filter decoding "base64" or "quoted-printable" from mime.decodet.
mime.decode = dispatcher(decodet)
--- mime.wrap(name [, length=76]): ltn12 line-wrapping filter ("text"/"base64"/"default" or "quoted-printable") from mime.wrapt.
mime.wrap = dispatcher(wrapt)

--- mime.normalize([marker]): ltn12 filter turning every end-of-line convention into marker (CRLF).
function mime.normalize(marker)
  return ltn12.filter.cycle(mime.eol, 0, marker)
end

--- mime.stuff(): ltn12 filter doing SMTP dot-stuffing, starting at a line start.
function mime.stuff()
  return ltn12.filter.cycle(mime.dot, 2)
end

return mime
