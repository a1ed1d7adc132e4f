"""The institutions that list people and the services a listing denies.

Two designs share the rules (``institutional_design``):

- ``scored_city``: one score per person, grades, and one list of those at or below a
  threshold (or in the bottom percentile) -- the pilot cities such as Rongcheng.
- ``blacklists``: the national system as practised 2013-2020 -- a court list of
  dishonest judgment debtors, agency lists that list on their own findings, red lists of
  the trustworthy, and joint-sanction memoranda under which other agencies deny listed
  people and firms specific services.

A memorandum is data: a table (``model/data/memoranda.csv``, replaceable through
``memoranda_file``) saying which list triggers which denied service, whether the listing
agency applies it itself (``own``) or another agency under a memorandum (``joint``), and
the document it comes from.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import IntEnum
from importlib import resources
from pathlib import Path

import numpy as np

from .domains import Domain
from .schema import ParameterError


class ListKind(IntEnum):
    """A list a person or firm can be on; ``domain`` is where an agency list finds its cases."""

    SCORE = 0  # the pilot city's list: score at or below the threshold
    COURT = 1  # dishonest judgment debtors (Supreme People's Court, online since October 2013)
    MARKET = 2  # seriously illegal and dishonest enterprises (market regulation)
    TRANSPORT = 3  # seriously dishonest persons barred from flights and trains
    TAX = 4  # major tax violators

    @property
    def label(self) -> str:
        return self.name.lower()

    @property
    def domain(self) -> Domain | None:
        return _AGENCY_DOMAIN.get(self)


_AGENCY_DOMAIN = {ListKind.MARKET: Domain.COMMERCIAL, ListKind.TRANSPORT: Domain.TRAFFIC,
                  ListKind.TAX: Domain.FINANCIAL}
AGENCY_LISTS = tuple(_AGENCY_DOMAIN)
"""The agency lists, each fed by the records of one domain."""


class Service(IntEnum):
    """Something a listed person or firm may be denied."""

    FLIGHT = 0
    TRAIN = 1  # high-speed train
    HOTEL = 2  # star-rated hotel
    LOAN = 3
    PUBLIC_JOB = 4
    SCHOOL = 5  # a place at a fee-paying private school, for the listed person's child
    TENDER = 6  # public tender or subsidy, for a firm

    @property
    def label(self) -> str:
        return self.name.lower()

    @property
    def domain(self) -> Domain:
        """The domain whose offence restricts this service under local scope in the scored city."""
        return _SERVICE_DOMAIN[self]


_SERVICE_DOMAIN = {Service.FLIGHT: Domain.TRAFFIC, Service.TRAIN: Domain.TRAFFIC,
                   Service.HOTEL: Domain.COMMERCIAL, Service.LOAN: Domain.FINANCIAL,
                   Service.PUBLIC_JOB: Domain.POLITICAL, Service.SCHOOL: Domain.FAMILY,
                   Service.TENDER: Domain.COMMERCIAL}
PERSONAL = (Service.FLIGHT, Service.TRAIN, Service.HOTEL, Service.SCHOOL)
"""Restrictions on high consumption that reach a listed firm's legal representative and
managers in person (SPC 2015, article 3)."""
CITIZEN_SERVICES = (Service.FLIGHT, Service.TRAIN, Service.HOTEL, Service.LOAN, Service.PUBLIC_JOB)
"""Services an adult tries for themself (a child tries for a school place, a firm for a tender)."""


@dataclass(frozen=True)
class Memoranda:
    """The memorandum table: ``rows`` as read, and for each scope a (list x service) matrix."""

    rows: tuple[dict, ...]
    own: np.ndarray  # bool (len(ListKind), len(Service)): the listing agency's own measures
    joint: np.ndarray  # bool: own measures and every memorandum

    def applies(self, scope: str) -> np.ndarray:
        """Which list restricts which service under ``sanction_scope`` (joint or local)."""
        return self.joint if scope == "joint" else self.own

    def source(self, kind: ListKind, service: Service) -> str:
        """The memorandum (name and year) under which ``kind`` denies ``service``."""
        for row in self.rows:
            if row["list"] == kind.label and row["service"] == service.label:
                return f"{row['memorandum']} {row['year']}"
        return ""


COLUMNS = ("list", "service", "scope", "memorandum", "year")


def load_memoranda(path: str | Path = "") -> Memoranda:
    """Read a memorandum table (CSV with columns ``list, service, scope, memorandum, year``
    and optionally ``source``); an empty path reads the table shipped with the package.

    >>> table = load_memoranda()
    >>> bool(table.own[ListKind.COURT, Service.FLIGHT]), bool(table.own[ListKind.COURT, Service.LOAN])
    (True, False)
    >>> bool(table.joint[ListKind.COURT, Service.LOAN])
    True
    """
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise ParameterError("memoranda_file", f"memoranda_file {str(path)!r} cannot be read "
                                 f"({error.strerror or error})") from None
    else:
        text = resources.files("trustcascade.model").joinpath("data/memoranda.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ParameterError("memoranda_file", f"memoranda_file needs the columns {', '.join(COLUMNS)}; "
                             f"missing {', '.join(missing)}")
    own = np.zeros((len(ListKind), len(Service)), bool)
    joint = np.zeros_like(own)
    rows = []
    for number, row in enumerate(reader, start=2):
        kind = _member(ListKind, row["list"], "list", number)
        service = _member(Service, row["service"], "service", number)
        if row["scope"] not in ("own", "joint"):
            raise ParameterError("memoranda_file", f"memoranda_file line {number}: scope must be own or "
                                 f"joint; got {row['scope']!r}")
        joint[kind, service] = True
        own[kind, service] |= row["scope"] == "own"
        rows.append(dict(row))
    return Memoranda(tuple(rows), own, joint)


def _member(enum, label: str, column: str, number: int):
    try:
        return enum[label.strip().upper()]
    except KeyError:
        choices = ", ".join(member.label for member in enum)
        raise ParameterError("memoranda_file", f"memoranda_file line {number}: {column} must be one of "
                             f"{choices}; got {label!r}") from None
