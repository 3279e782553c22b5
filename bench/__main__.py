"""Run every benchmark in bench/ (none are needed by the issues done so far)."""

if __name__ == "__main__":
    print("No benchmarks yet: the issues done so far set no speed or memory targets.")
