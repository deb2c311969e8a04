"""Benchmarks for roleplay: run all with `make bench` (python -m benchmarks)."""
