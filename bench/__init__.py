"""Benchmarks: run with `make bench`; method and figures in docs/benchmarks.md."""
