"""Run every benchmark in bench/; each prints its figures (recorded in docs/benchmarks.md)."""

from bench import audit_log

if __name__ == "__main__":
    audit_log.main()
