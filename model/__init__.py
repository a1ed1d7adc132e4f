"""The society: parameter schema, state arrays, rules, metrics, presets and the Mesa model.

``TrustCascade`` (the Mesa model) is imported lazily, since ``import mesa`` is slow and the
CLI's ``params`` and ``presets`` commands do not need it.
"""

from .domains import Domain
from .params import RULES, SCHEMA
from .schema import ParameterError

__all__ = ["Domain", "RULES", "SCHEMA", "ParameterError", "TrustCascade"]


def __getattr__(name):
    if name == "TrustCascade":
        from .model import TrustCascade

        return TrustCascade
    raise AttributeError(name)
