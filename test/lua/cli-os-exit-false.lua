-- os.exit(false) is EXIT_FAILURE (1); os.exit(true) would be 0.
print("exiting with false")
os.exit(false)
