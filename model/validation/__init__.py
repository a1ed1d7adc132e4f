"""Validation: the society reduces to published cascade models when its extra rules are off.

- :mod:`.watts` — Watts (2002) threshold cascades on Erdos-Renyi graphs (preset ``watts2002``)
  and the analytic cascade condition for Poisson degrees.
- :mod:`.granovetter` — Granovetter (1978) riot thresholds on a complete graph (preset
  ``granovetter``).
- :mod:`.lum` — Lum et al. (2014) contagion of imprisonment (preset ``lum2014``, rule
  ``transmit``): the listed share tips between listing durations of 14 and 17 months.
- :mod:`.cases` — the table ``trustcascade validate`` prints: expected value and source,
  measured value, tolerance (derived from sampling error), pass or fail.
"""
