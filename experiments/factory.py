"""The model factory sweeps use: a society built from a seed, parameters and a schedule.

It is a top-level function so process pools and Dask can pickle it. To sweep another model,
pass your own factory with the same signature to :func:`trustcascade.experiments.runner.sweep`.
"""

from __future__ import annotations


def build_society(seed: int, params: dict, schedule: dict):
    """A :class:`~trustcascade.model.model.TrustCascade` without Mesa agent views (the rules
    work on the arrays; the views only cost time in a sweep)."""
    from trustcascade.model.model import TrustCascade

    return TrustCascade(rng=seed, params=params, schedule=schedule, agents=False)
