-- Adler-32 of a byte string as 8 hex digits: the checksum the byte-exactness scripts print (loaded
-- with dofile from the repository root, so native lua5.4 and luahttp run the same code).
return function(s)
  local a, b = 1, 0
  for i = 1, #s do
    a = (a + s:byte(i)) % 65521
    b = (b + a) % 65521
  end
  return string.format("%08x", b * 65536 + a)
end
