-- Fixture for test/vm/byte-path.test.ts: these exact bytes must reach stdout.
print("\0\255\128abc")
io.write("\0\255\128abc")
io.stdout:write("|", "\0\255\128abc")
