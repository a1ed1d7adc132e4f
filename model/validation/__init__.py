"""Validation: the society reduces to published cascade models when its extra rules are off.

- :mod:`.watts` — Watts (2002) threshold cascades on Erdos-Renyi graphs (preset ``watts2002``)
  and the analytic cascade condition for Poisson degrees.
- :mod:`.granovetter` — Granovetter (1978) riot thresholds on a complete graph (preset
  ``granovetter``).
- :mod:`.cases` — the table ``trustcascade validate`` prints: expected value and source,
  measured value, tolerance (derived from sampling error), pass or fail.
"""

from .granovetter import equilibrium, normal_thresholds
from .watts import WattsResult, cascade_window, run_watts, watts_trial

__all__ = ["WattsResult", "cascade_window", "equilibrium", "normal_thresholds", "run_watts",
           "watts_trial"]
