"""Mesa agents of the society: views of the state arrays (``trustcascade.model.state``)."""

from .citizen import Citizen, Company

__all__ = ["Citizen", "Company"]
