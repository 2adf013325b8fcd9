"""Slow reference implementations used by the tests and benchmarks (not part of marginlib)."""
