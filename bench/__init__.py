"""Accord's benchmark suite: wrk against a real ``accord serve`` (see bench/README.md)."""
