-- os.exit(3): exit code 3, buffered stdout flushed.
io.write("before exit, no newline")
os.exit(3)
print("not reached")
