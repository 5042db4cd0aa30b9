"""Benchmarks: `make bench` runs bench/run.py, which runs every *_bench.py module here."""
