"""The world the rules act on: the society's arrays, its parameters, dossiers and caches."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from . import layers, networks
from .graphfile import load_graph
from .dossier import Dossiers
from .params import DOMAINS
from .schema import ParameterError
from .state import CAUSES, Society, Ties, new_citizens, new_companies
from .streams import Streams
from .tieslots import find_entries, live_first, row_entries  # noqa: F401 (re-exported for the rules)

FINANCIAL, TRAFFIC, POLITICAL, FAMILY, COMMERCIAL, LEGAL = range(len(DOMAINS))
COMPANY_DOMAINS = (FINANCIAL, COMMERCIAL, LEGAL)


@dataclass
class StepLog:
    """What happened during the current step (read by the metrics)."""

    new_listed: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    contact_share: np.ndarray | None = None  # listed share of contacts, as ``associate`` saw it
    new_by_cause: dict = field(default_factory=lambda: {c: 0 for c in CAUSES})
    ties_cut: int = 0
    cut_ties: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # keys lo * n + hi
    formed_ties: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # new or renewed


class World:
    """State plus everything the rules share: parameters, streams, dossiers, tie degrees.

    Friend degrees (the live ties per row) are kept up to date in place as ties are cut or
    formed (no matrix sums per step); replacing a layer wholesale must be followed by
    :meth:`ties_changed`.
    """

    def __init__(self, society: Society, params: dict, streams: Streams, keep_dossiers: bool = True):
        self.society = society
        self.params = params
        self.streams = streams
        self.citizen_dossiers = Dossiers(keep_dossiers)
        self.company_dossiers = Dossiers(keep_dossiers)
        self.log = StepLog()
        self.cache: dict = {}  # what rules keep between steps: buffers, parameter-derived arrays
        self.ties_changed()
        ties = self.ties
        self.business_degree = _row_weights(ties.business)
        # static groupings, so a listing reaches its staff, managers and children directly
        n, m = society.citizens.n, society.companies.n
        self.children_of = grouped(ties.parent, n)
        self.staff_of = grouped(ties.employer, m)
        self.managers_of = grouped(np.where(ties.manager, ties.employer, -1), m)
        self.adults = np.flatnonzero(ties.parent < 0)  # who can violate (children cannot)
        self.adult_rank = np.full(n, -1, np.int64)
        self.adult_rank[self.adults] = np.arange(self.adults.size)

    @property
    def citizens(self):
        return self.society.citizens

    @property
    def companies(self):
        return self.society.companies

    @property
    def ties(self) -> Ties:
        return self.society.ties

    @property
    def step(self) -> int:
        return self.society.step

    def domain_vector(self, prefix: str) -> np.ndarray:
        """The six per-domain parameters ``<prefix>_<domain>`` as an array."""
        return np.array([self.params[f"{prefix}_{d}"] for d in DOMAINS])

    def ties_changed(self) -> None:
        """Recompute what depends on the tie layers (after replacing one wholesale); the
        friend layer is reordered to hold each row's live ties first (``tieslots``)."""
        friends = self.ties.friends
        if friends.dtype != np.float64:  # scipy's graph search and products would convert it each time
            friends = friends.astype(np.float64)
        self.ties.friends, self.friend_live = live_first(friends)
        self.family_degree = _row_weights(self.ties.family)
        self.ties.changed = True

    @property
    def friend_degree(self) -> np.ndarray:
        """Friends per citizen: the live ties of each row (a friendship weighs 1)."""
        return self.friend_live

    def live(self, matrix: sp.csr_matrix) -> np.ndarray | None:
        """Live ties per row if ``matrix`` is the friend layer (its rows end in free slots)."""
        return self.friend_live if matrix is self.ties.friends else None

    def set_friends(self, friends: sp.csr_matrix) -> None:
        """Install a rebuilt friendship layer with the same live prefixes (``tieslots.top_up``)."""
        self.ties.friends = friends
        self.ties.changed = True

    def association_layers(self) -> list[tuple[sp.csr_matrix, np.ndarray]]:
        """The layers named by ``association_layers``, each with its degrees."""
        return [(getattr(self.ties, layer), getattr(self, f"{layer.rstrip('s')}_degree"))
                for layer in self.params["association_layers"].split("+")]

    def listed_share_of_contacts(self, listed: np.ndarray) -> np.ndarray:
        """Share of each citizen's contacts (association layers) who are listed.

        Counts are whole numbers (exact in float32); the share is divided in float64 so
        that share >= phi holds exactly at the boundary (a float32 share is off by up to
        6e-8, which broke Granovetter's integer thresholds for n = 38, 39, 42, ...).
        """
        who = np.flatnonzero(listed)
        layers = self.association_layers()
        if who.size * 8 >= listed.size:  # many listed: one matrix-vector product per layer
            count = sum(matrix @ listed.astype(np.float32) for matrix, _ in layers).astype(np.float64)
            degree = sum(layer_degree for _, layer_degree in layers)
            return np.divide(count, degree, out=np.zeros_like(count), where=degree > 0)
        # few listed: the layers are symmetric, so the rows of the listed hold the contacts they count for
        gathered = [row_entries(matrix, who, self.live(matrix))[0] for matrix, _ in layers]
        contacts = np.concatenate([m.indices[at] for (m, _), at in zip(layers, gathered)])
        weights = np.concatenate([m.data[at] for (m, _), at in zip(layers, gathered)]).astype(np.float64)
        count = np.bincount(contacts, weights=weights, minlength=listed.size)
        touched = np.flatnonzero(count != 0)
        share = np.zeros(listed.size)
        share[touched] = count[touched] / sum(layer_degree[touched] for _, layer_degree in layers)
        return share

    def business_share_listed(self) -> np.ndarray:
        """Share of each company's business partners who are listed."""
        count = self.ties.business @ self.companies.listed.astype(np.float32)
        degree = self.business_degree
        return np.divide(count, degree, out=np.zeros_like(degree), where=degree > 0)


def grouped(group: np.ndarray, size: int) -> sp.csr_matrix:
    """Row g lists the citizens whose ``group`` is g (-1: none), e.g. a parent's children."""
    member = np.flatnonzero(group >= 0)
    return sp.csr_matrix((np.ones(member.size, np.int8), (group[member], member)), shape=(size, group.size))


def members(groups: sp.csr_matrix, rows: np.ndarray) -> np.ndarray:
    """The citizens listed in ``rows`` of a :func:`grouped` matrix."""
    return groups.indices[row_entries(groups, rows)[0]]


def _row_weights(matrix: sp.csr_matrix) -> np.ndarray:
    """Row sums of a CSR matrix, fast (scipy's ``sum`` upcasts int8 slowly)."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    return np.bincount(rows, weights=matrix.data, minlength=matrix.shape[0]).astype(np.float64)


def friendship_layer(params: dict, rng: np.random.Generator) -> sp.csr_matrix:
    """Build the friendship layer with the generator named by ``network``."""
    n, k = params["n_citizens"], params["mean_degree"]
    kind = params["network"]
    if kind == "watts_strogatz":
        lattice = min(2 * int(round(k / 2)), n - 1 - (n - 1) % 2)  # even, and below n
        return networks.watts_strogatz(n, lattice, params["rewire_probability"], rng)
    if kind == "barabasi_albert":
        return networks.barabasi_albert(n, min(max(1, int(round(k / 2))), n - 1), rng)
    if kind == "erdos_renyi":
        return networks.erdos_renyi(n, k, rng)
    if kind == "stochastic_block":
        try:
            return networks.stochastic_block(n, params["n_communities"], k, params["community_mixing"],
                                             rng)[0]
        except ValueError as error:  # more ties asked for than the communities can hold
            raise ParameterError("mean_degree", f"mean_degree={k:g} is too high for {n} citizens in "
                                 f"{params['n_communities']} communities ({error})") from None
    raise ParameterError("network", f"parameter 'network' has no builder for {kind!r}")


def build_world(params: dict, streams: Streams, friends: sp.csr_matrix | None = None) -> World:
    """Create the society of one run from its parameters: people, companies, ties.

    ``network=file`` takes the friendship layer (and so ``n_citizens``) from ``graph_file``,
    or from ``friends`` when the caller has read it already.
    """
    rng = streams["network"]
    if friends is None and params["network"] == "file":
        friends, _labels = load_graph(params["graph_file"])
        params["n_citizens"] = friends.shape[0]
        if params["n_companies"] > params["n_citizens"]:
            raise ParameterError("n_companies", f"n_companies must be <= the {friends.shape[0]} people "
                                 f"in graph_file; got {params['n_companies']}")
    elif friends is None:
        friends = friendship_layer(params, rng)
    n, m = params["n_citizens"], params["n_companies"]
    family, parent = layers.households(n, params["household_size"], rng)
    if m > 0:
        _work, employer = layers.bipartite_employment(n, m, params["employment_rate"], rng)
        business = networks.erdos_renyi(m, min(params["business_degree"], m - 1), rng) if m > 1 \
            else sp.csr_matrix((m, m), dtype=np.int8)
        representative = _representatives(employer, m, rng)
        manager = (employer >= 0) & (rng.random(n) < params["manager_share"])
    else:
        employer = np.full(n, -1, np.int64)
        business = sp.csr_matrix((0, 0), dtype=np.int8)
        representative = np.zeros(0, np.int64)
        manager = np.zeros(n, bool)
    ties = Ties(friends=friends, family=family, parent=parent, employer=employer, business=business,
                representative=representative, manager=manager)

    init = streams["initial"]
    propensity = _propensities(params, n, init)
    propensity[parent >= 0] = 0.0  # children: no loans, cars, contracts or court cases of their own
    propensity.flags.writeable = False  # rules keep products of it (``behave``); replace, don't edit
    citizens = new_citizens(n, propensity, params["initial_score"])
    company_propensity = np.zeros((m, len(DOMAINS)), np.float32)
    company_propensity[:, list(COMPANY_DOMAINS)] = _beta(params["company_violation_rate"],
                                                         params["propensity_concentration"], (m, 3), init)
    companies = new_companies(m, company_propensity, params["initial_score"])
    society = Society(citizens=citizens, companies=companies, ties=ties)
    return World(society, params, streams)


def _propensities(params: dict, n: int, rng: np.random.Generator) -> np.ndarray:
    """Heterogeneous monthly violation probabilities: Beta(mean = base rate, concentration)."""
    kappa = params["propensity_concentration"]
    out = np.zeros((n, len(DOMAINS)), np.float32)
    for j, domain in enumerate(DOMAINS):
        out[:, j] = _beta(params[f"base_rate_{domain}"], kappa, n, rng)
    return out


def _beta(mean: float, kappa: float, size, rng: np.random.Generator) -> np.ndarray:
    """Beta draws with the given mean and concentration (degenerate at 0 or 1)."""
    shape_a, shape_b = mean * kappa, (1.0 - mean) * kappa
    if not (mean > 0.0 and mean < 1.0 and shape_a > 0.0 and shape_b > 0.0):  # incl. underflow
        return np.full(size, mean, np.float32)
    return rng.beta(shape_a, shape_b, size=size).astype(np.float32)


def _representatives(employer: np.ndarray, m: int, rng: np.random.Generator) -> np.ndarray:
    """One legal representative per company: a random employee (or a random citizen if none)."""
    order = rng.permutation(employer.size)
    shuffled = employer[order]
    has_job = shuffled >= 0
    representative = rng.integers(0, employer.size, size=m)
    # the last write per company wins: a random employee, since the order is shuffled
    representative[shuffled[has_job]] = order[has_job]
    return representative.astype(np.int64)
