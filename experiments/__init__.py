"""Sweeps and experiments (see the experiments issue)."""
