-- LuaSec's certificate object on a fixed certificate (fixtures/rich-cert.pem: EC P-256, UTF-8 names,
-- every subjectAltName kind LuaSec reads, a serial with its top bit set, a notAfter in GeneralizedTime):
-- each method's result, in both string encodings, and validat() at the validity boundaries.
local ssl = require("ssl")
local dir = arg[0]:match("^(.*)/[^/]*$")
local f = assert(io.open(dir .. "/fixtures/rich-cert.pem", "rb"))
local pem = f:read("a")
f:close()

local function sorted(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  return keys
end

local cert = assert(ssl.loadcertificate(pem))
for _, enc in ipairs { "ai5", "utf8" } do
  print("setencode", enc, cert:setencode(enc))
  for i, e in ipairs(cert:subject()) do print("subject", i, e.oid, e.name, e.value) end
  for i, e in ipairs(cert:issuer()) do print("issuer", i, e.oid, e.name, e.value) end
  local ext = cert:extensions()
  for _, oid in ipairs(sorted(ext)) do
    print("extension", oid, ext[oid].name)
    for _, kind in ipairs(sorted(ext[oid])) do
      local v = ext[oid][kind]
      if type(v) == "table" then
        local names = {}
        for _, k in ipairs(sorted(v)) do if type(k) ~= "number" then names[#names + 1] = k .. "=" .. tostring(v[k]) end end
        print("", kind, table.concat(v, " | "), table.concat(names, " "))
      end
    end
  end
end
print("dates", cert:notbefore(), cert:notafter())
print("serial", cert:serial())
print("digest", cert:digest())
print("digest", cert:digest("sha256"))
print("digest", cert:digest("sha512"))
local key, kind, bits = cert:pubkey()
print("pubkey", kind, bits)
io.write(key)
print("signature", cert:getsignaturename())
print("pem", cert:pem() == pem, #cert:pem())
print("validat", cert:validat(1795589665), cert:validat(1795589666), cert:validat(4102444800), cert:validat(4949189665), cert:validat(4949189666))
print("tostring", (tostring(cert):gsub("0x%x+", "ADDR")))
print("load", ssl.loadcertificate(""), ssl.loadcertificate(pem:gsub("MII", "XXX", 1)))
-- (Not ssl.loadcertificate's own argument errors: LuaSec's name for it there is "ssl.loadcertificate" or
-- "ssl.x509.load", whichever package.loaded entry Lua's traversal meets first in that run.)
print("errors", pcall(cert.digest))
print("errors", pcall(cert.subject, {}))
print("errors", pcall(cert.validat, cert))
