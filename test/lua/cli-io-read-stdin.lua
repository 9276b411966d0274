-- io.read from stdin: lines, then the rest (with a NUL and a 0xFF byte).
print(string.format("%q", io.read("l")))
print(string.format("%q", io.read("L")))
print(string.format("%q", io.read(2)))
print(string.format("%q", io.read("a")))
print(io.read("l"), io.read(0), string.format("%q", io.read("a")))
