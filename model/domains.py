"""The six record domains: one fixed set, so output columns are the same in every run.

A domain is switched off by giving it a weight of 0 (``weight_<domain>``), never removed.
"""

from __future__ import annotations

from enum import IntEnum


class Domain(IntEnum):
    """A domain of the authority's records; its value is its column in per-domain arrays.

    >>> Domain.TRAFFIC.label, int(Domain.TRAFFIC), Domain.named("legal")
    ('traffic', 1, <Domain.LEGAL: 5>)
    """

    FINANCIAL = 0  # loan repayment
    TRAFFIC = 1  # red lights, tickets
    POLITICAL = 2  # criticism of the government online
    FAMILY = 3  # care for elderly parents
    COMMERCIAL = 4  # contracts, fraud
    LEGAL = 5  # court judgments not performed

    @property
    def label(self) -> str:
        """The lower-case name used in parameter and column names (``weight_traffic``)."""
        return self.name.lower()

    @classmethod
    def named(cls, label: str) -> "Domain":
        return cls[label.upper()]


COMPANY_DOMAINS = (Domain.FINANCIAL, Domain.COMMERCIAL, Domain.LEGAL)
"""Where companies can violate: no traffic, politics or family duty of their own."""
