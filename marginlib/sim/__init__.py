"""Simulation: price paths, funding-rate paths, Monte Carlo, risk summaries."""
