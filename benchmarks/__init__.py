"""The benchmark suite: `python -m benchmarks.run` (or `make bench`). See docs/performance.md."""
