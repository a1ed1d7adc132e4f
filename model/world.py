"""The world the rules act on: the society's arrays, its parameters, dossiers and caches."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from . import layers, networks
from .beliefs import prior_beliefs
from .graphfile import load_graph
from .institutions import load_memoranda
from .dossier import Dossiers
from .domains import COMPANY_DOMAINS, Domain
from .schema import ParameterError
from .state import CAUSES, Society, Ties, new_citizens, new_companies
from .streams import Streams
from .sampling import KeptProbabilities
from .tieslots import add_ties, cut_ties, find_entries, live_first, row_entries


@dataclass
class StepLog:
    """What happened during the current step (read by later rules and the metrics)."""

    new_listed: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    contact_share: np.ndarray | None = None  # listed share of contacts, as ``associate`` saw it
    counted_listed: np.ndarray | None = None  # who was listed when ``associate`` counted (before delist)
    new_by_cause: dict = field(default_factory=lambda: {c: 0 for c in CAUSES})
    ties_cut_count: int = 0
    cut_tie_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # lo * n + hi
    formed_tie_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # new or renewed
    denied: dict = field(default_factory=dict)  # Service -> denials this step
    paid_after_listing: int = 0  # court listings that ended because the debtor paid
    objections_upheld: int = 0
    restricted: tuple | None = None  # (people, denied services, lists behind them), once listing is done
    left_lists: list = field(default_factory=list)  # arrays of people taken off a list this step
    cleared: set = field(default_factory=set)  # citizen arrays a switched-off rule zeroed this step


@dataclass
class Objections:
    """Objections waiting for a decision: the record (cell), when filed, whether the record
    was false, and the points it cost when written."""

    cell: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    filed: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    false: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    points: np.ndarray = field(default_factory=lambda: np.zeros(0))


class ViolationTies(NamedTuple):
    """Friendships of this month's violators with adults: for tie k, the adult's cell
    (``adult_rank * 6 + domain`` of the violation), the violation (index into
    ``citizens.violation_cells``) and the adult (citizen index). Friendships are unweighted
    (a live tie weighs 1, see ``graphfile.Network``), so no weight is gathered."""

    cell: np.ndarray
    whose: np.ndarray
    contact: np.ndarray


class Contacts(NamedTuple):
    """The ties of some people in one layer: for tie k, ``whose[k]`` indexes the people
    asked about, ``contact[k]`` is the person at the other end, ``weight[k]`` the tie's weight."""

    whose: np.ndarray
    contact: np.ndarray
    weight: np.ndarray


class World:
    """State plus everything the rules share: parameters, streams, dossiers, tie degrees.

    Rules read and change friendships through verbs (:meth:`friendships_of`,
    :meth:`end_friendships`, :meth:`start_friendships`); how the friend layer stores them
    for change in place is :mod:`~trustcascade.model.tieslots`' business. Friend degrees
    are kept up to date by those verbs (no matrix sums per step).
    """

    def __init__(self, society: Society, params: dict, streams: Streams, keep_dossiers: bool = True):
        self.society = society
        self.params = params
        self.streams = streams
        self.citizen_dossiers = Dossiers(keep_dossiers)
        self.company_dossiers = Dossiers(keep_dossiers)
        self.step_log = StepLog()
        self.adult_probability = KeptProbabilities()  # ``behave``'s baseline, kept between steps
        self._tie_version = 0  # bumped whenever friendships change (kept expansions go stale)
        self._violation_ties = (None, -1, None)
        self._adult_family = (None, None)  # (the family layer, its ties to adults as adult ranks)
        self._friend_ends: list = []  # ``tie_ends``' last answers for the friend layer
        self.memoranda = load_memoranda(params["memoranda_file"])
        self.objections = Objections()
        self.forced = None  # a month's forced decisions of a few people (``model.forced``), if any
        self.agency_limits = None  # the agencies' listing limits of last month (``rules.agencies``)
        self.reindex_ties()
        ties = self.ties
        self.business_degree = _row_weights(ties.business)
        # static groupings, so a listing reaches its staff, managers and children directly
        n, m = society.citizens.n, society.companies.n
        self.children_of = grouped(ties.parent, n)
        self.staff_of = grouped(ties.employer, m)
        self.managers_of = grouped(np.where(ties.manager, ties.employer, -1), m)
        self.adults = np.flatnonzero(ties.parent < 0)  # who can violate (children cannot)
        self.adult_rank = np.full(n, -1, np.int32)  # int32: gathered at random tens of thousands of times a month
        self.adult_rank[self.adults] = np.arange(self.adults.size)

    @functools.cached_property
    def is_adult(self) -> np.ndarray:
        """``ties.parent < 0`` (who can violate, be listed or red-listed), kept: it never changes."""
        return self.ties.parent < 0

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

    @property
    def blacklists(self) -> bool:
        """Whether the national design runs (court, agency and red lists), not the scored city."""
        return self.params["institutional_design"] == "blacklists"

    def domain_vector(self, prefix: str) -> np.ndarray:
        """The six per-domain parameters ``<prefix>_<domain>`` as an array."""
        names = _DOMAIN_NAMES.get(prefix)
        if names is None:  # the names once per prefix: rules ask about 20 times a month
            names = _DOMAIN_NAMES[prefix] = tuple(f"{prefix}_{d.label}" for d in Domain)
        params = self.params
        return np.array([params[name] for name in names])

    # --- ties: the verbs the rules use -------------------------------------------------

    def contacts_of(self, people: np.ndarray, layer: sp.csr_matrix) -> Contacts:
        """Every tie of ``people`` in a citizen layer (``ties.friends`` or ``ties.family``).
        People may repeat; only live friendships are returned."""
        live = self.friend_degree if layer is self.ties.friends else None
        positions, whose = row_entries(layer, people, live)
        return Contacts(whose, layer.indices[positions], layer.data[positions])

    def tie_ends(self, people: np.ndarray, layer: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`contacts_of` without the weights (gathering them costs a pass over the
        layer's largest array): for each tie, the index into ``people`` and the contact
        (read-only: the friend layer's last two answers are kept, since ``chill`` and
        ``learn`` both ask for the friends of the listed in the same month)."""
        friends = layer is self.ties.friends
        if friends:
            for version, asked, answer in self._friend_ends:
                if version == self._tie_version and np.array_equal(asked, people):
                    return answer
        positions, whose = row_entries(layer, people, self.friend_degree if friends else None)
        answer = whose, layer.indices[positions]
        if friends:
            self._friend_ends = [(self._tie_version, people.copy(), answer)] + self._friend_ends[:1]
        return answer

    def friendships_of(self, people: np.ndarray) -> Contacts:
        """The live friendships of ``people``: their friends and each tie's weight."""
        return self.contacts_of(people, self.ties.friends)

    def are_friends(self, one: np.ndarray, other: np.ndarray) -> np.ndarray:
        """For each pair ``(one[k], other[k])``, whether they are friends now."""
        return find_entries(self.ties.friends, one, other, self.friend_degree) >= 0

    def end_friendships(self, one: np.ndarray, other: np.ndarray) -> np.ndarray:
        """End the friendships ``(one[k], other[k])`` (both ends; a pair may be named twice,
        in either order) and return the ended ties as keys ``lo * n + hi``, sorted."""
        friends, n = self.ties.friends, self.citizens.n
        ends = np.concatenate([find_entries(friends, one, other, self.friend_degree),
                               find_entries(friends, other, one, self.friend_degree)])
        owners = np.concatenate([one, other])
        ends, first = np.unique(ends, return_index=True)  # a tie named from both ends counts once
        cut_ties(friends, self.friend_degree, ends, owners[first])  # degrees fall with the live ties
        self.ties.cut_total += int(ends.size // 2)
        self.ties.changed_since_metrics |= ends.size > 0
        self._tie_version += 1
        keys = np.unique(np.minimum(one, other) * n + np.maximum(one, other))
        if self.ties.cuts is not None:
            self.ties.cuts.append(keys)
        return keys

    def start_friendships(self, one: np.ndarray, other: np.ndarray) -> np.ndarray:
        """Make friends of the pairs ``(one[k], other[k])`` that are not friends yet and
        return the new ties as keys ``lo * n + hi``, sorted."""
        friends, n = self.ties.friends, self.citizens.n
        pairs = np.sort(np.concatenate([one * n + other, other * n + one]))
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]  # both directions, once each
        rows, cols = np.divmod(pairs, n)
        fresh = find_entries(friends, rows, cols, self.friend_degree) < 0
        grown = add_ties(friends, self.friend_degree, rows[fresh], cols[fresh])  # degrees rise too
        if grown is not friends:  # a row ran out of free slots: the layer was rebuilt
            self.ties.friends = grown
        self.ties.changed_since_metrics |= bool(fresh.any())
        self._tie_version += 1
        return pairs[fresh & (rows < cols)]

    def replace_friendships(self, friends: sp.csr_matrix) -> None:
        """Install a new friendship layer wholesale (e.g. a complete graph for Granovetter)."""
        self.ties.friends = friends
        self.reindex_ties()

    def reindex_ties(self) -> None:
        """Recompute what depends on the tie layers: the friend layer is stored live ties
        first (``tieslots``) with its degrees, and the family degrees are summed."""
        friends = self.ties.friends
        if friends.dtype != np.float64:  # scipy's graph search and products would convert it each time
            friends = friends.astype(np.float64)
        self.ties.friends, self.friend_degree = live_first(friends)
        self.family_degree = _row_weights(self.ties.family)
        self.ties.changed_since_metrics = True
        self.ties.cuts = None  # a search must start afresh
        self._tie_version += 1

    def adult_relatives(self, people: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each family tie of ``people`` to an adult: the index into ``people`` and the adult's
        ``adult_rank``, in the family layer's order. Read from a copy of the layer that keeps
        only adult relatives, as ranks (made once: families do not change in a run)."""
        family = self.ties.family
        kept_for, layer = self._adult_family
        if kept_for is not family:
            rank = self.adult_rank[family.indices]
            adult = rank >= 0
            row_of = np.repeat(np.arange(family.shape[0]), np.diff(family.indptr))
            indptr = np.zeros(family.shape[0] + 1, family.indptr.dtype)
            np.cumsum(np.bincount(row_of[adult], minlength=family.shape[0]), out=indptr[1:])
            layer = sp.csr_matrix((np.ones(int(adult.sum()), np.int8), rank[adult], indptr),
                                  shape=(family.shape[0], self.adults.size))
            self._adult_family = (family, layer)
        positions, whose = row_entries(layer, people)
        return whose, layer.indices[positions]

    def adult_friends_of_violations(self) -> ViolationTies:
        """Each friendship between a citizen who violated this month (``citizens.violation_cells``)
        and an adult, with the adult's cell in that domain. ``learn`` (at the end of a month) and
        next month's ``behave`` (conformity) both need it, over the same ties, so it is kept until
        the cells or the friendships change."""
        cells = self.citizens.violation_cells
        kept_cells, version, ties = self._violation_ties
        if kept_cells is not cells or version != self._tie_version:
            whose, contact = self.tie_ends(cells // len(Domain), self.ties.friends)
            rank = self.adult_rank[contact]
            adult = np.flatnonzero(rank >= 0)  # children neither learn nor are pulled; indexes
            whose = whose[adult]               # gather faster than a boolean mask filters
            ties = ViolationTies(rank[adult] * len(Domain) + cells[whose] % len(Domain), whose, contact[adult])
            self._violation_ties = (cells, self._tie_version, ties)
        return ties

    def association_layers(self) -> list[tuple[sp.csr_matrix, np.ndarray]]:
        """The layers named by ``association_layers``, each with its degrees."""
        return [(getattr(self.ties, layer), getattr(self, f"{layer.rstrip('s')}_degree"))
                for layer in self.params["association_layers"].split("+")]

    def listed_share_of_contacts(self, listed: np.ndarray, family_apart: bool = False):
        """Share of each citizen's contacts (association layers) who are listed; with
        ``family_apart``, also the part of that share due to listed family members.

        Counts are whole numbers (exact in float32); the share is divided in float64 so
        that share >= phi holds exactly at the boundary (a float32 share is off by up to
        6e-8, which broke Granovetter's integer thresholds for n = 38, 39, 42, ...).
        """
        names = self.params["association_layers"].split("+")
        layers = self.association_layers()
        who = _few_listed(listed)
        if who is None:  # many listed: one matrix-vector product per layer
            degree = sum(layer_degree for _, layer_degree in layers)
            counts = [(matrix @ listed.astype(np.float32)).astype(np.float64) for matrix, _ in layers]
            share = share_of(sum(counts), degree)
            if not family_apart:
                return share
            family = counts[names.index("family")] if "family" in names else np.zeros(listed.size)
            return share, share_of(family, degree)
        touched, touched_share, ends, degree = self._few_listed_share(who, listed.size, layers)
        share = np.zeros(listed.size)
        share[touched] = touched_share
        if not family_apart:
            return share
        family = np.zeros(listed.size)
        if "family" in names:  # counted among the touched only (they include every family contact)
            at = np.searchsorted(touched, ends[names.index("family")])
            family[touched] = np.bincount(at, minlength=touched.size) / degree
        return share, family

    def listed_share_where_nonzero(self, listed: np.ndarray) -> tuple[np.ndarray, ...] | None:
        """:meth:`listed_share_of_contacts` as (the citizens with a listed contact, their
        share, the listed), or None when so many are listed that the dense computation is cheaper."""
        who = _few_listed(listed)
        if who is None:
            return None
        return self._few_listed_share(who, listed.size, self.association_layers())[:2] + (who,)

    def _few_listed_share(self, who: np.ndarray, n: int, layers):
        """The contact share from the ties of the few listed ``who``: the layers are symmetric,
        so the ties of the listed are the contacts they count for; each tie weighs 1
        (friendships are unweighted, family ties too). Returns the touched citizens, their
        share, each layer's contacts and the touched citizens' degrees."""
        ends = [self.tie_ends(who, matrix)[1] for matrix, _ in layers]
        count = np.bincount(np.concatenate(ends), minlength=n)
        touched = np.flatnonzero(count != 0)
        degree = sum(layer_degree[touched] for _, layer_degree in layers)  # only where it divides
        return touched, count[touched] / degree, ends, degree

    def business_share_listed(self) -> np.ndarray:
        """Share of each company's business partners who are listed."""
        count = self.ties.business @ self.companies.listed.astype(np.float32)
        degree = self.business_degree
        return np.divide(count, degree, out=np.zeros_like(degree), where=degree > 0)


def _few_listed(listed: np.ndarray) -> np.ndarray | None:
    """The listed, or None when an eighth or more are: then one matrix-vector product per
    layer costs less than expanding the ties of the listed."""
    who = np.flatnonzero(listed)
    return None if who.size * 8 >= listed.size else who


def share_of(count: np.ndarray, total: np.ndarray) -> np.ndarray:
    """``count / total`` in float64, 0 where ``total`` is 0."""
    return np.divide(count, total, out=np.zeros(np.shape(count)), where=total > 0)


def grouped(group: np.ndarray, size: int) -> sp.csr_matrix:
    """Row g lists the citizens whose ``group`` is g (-1: none), e.g. a parent's children."""
    member = np.flatnonzero(group >= 0)
    return sp.csr_matrix((np.ones(member.size, np.int8), (group[member], member)), shape=(size, group.size))


def members(groups: sp.csr_matrix, rows: np.ndarray) -> np.ndarray:
    """The citizens listed in ``rows`` of a :func:`grouped` matrix."""
    return groups.indices[row_entries(groups, rows)[0]]


_DOMAIN_NAMES: dict[str, tuple[str, ...]] = {}


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
        adults = np.flatnonzero(parent < 0)  # children neither work nor represent a firm
        _work, employer = layers.bipartite_employment(n, m, params["employment_rate"], rng, eligible=adults)
        business = networks.erdos_renyi(m, min(params["business_degree"], m - 1), rng) if m > 1 \
            else sp.csr_matrix((m, m), dtype=np.int8)
        representative = _representatives(employer, adults, m, rng)
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
    company_propensity = np.zeros((m, len(Domain)), np.float32)
    company_propensity[:, list(COMPANY_DOMAINS)] = _beta(params["company_violation_rate"],
                                                         params["propensity_concentration"], (m, 3), init)
    companies = new_companies(m, company_propensity, params["initial_score"])
    society = Society(citizens=citizens, companies=companies, ties=ties)
    world = World(society, params, streams)
    citizens.beliefs = prior_beliefs(world.adults.size, params, world.domain_vector)
    companies.beliefs = prior_beliefs(m, params, world.domain_vector)
    return world


def _propensities(params: dict, n: int, rng: np.random.Generator) -> np.ndarray:
    """Heterogeneous monthly violation probabilities: Beta(mean = base rate, concentration)."""
    kappa = params["propensity_concentration"]
    out = np.zeros((n, len(Domain)), np.float32)
    for domain in Domain:
        out[:, domain] = _beta(params[f"base_rate_{domain.label}"], kappa, n, rng)
    return out


def _beta(mean: float, kappa: float, size, rng: np.random.Generator) -> np.ndarray:
    """Beta draws with the given mean and concentration (degenerate at 0 or 1)."""
    shape_a, shape_b = mean * kappa, (1.0 - mean) * kappa
    if not (mean > 0.0 and mean < 1.0 and shape_a > 0.0 and shape_b > 0.0):  # incl. underflow
        return np.full(size, mean, np.float32)
    return rng.beta(shape_a, shape_b, size=size).astype(np.float32)


def _representatives(employer: np.ndarray, adults: np.ndarray, m: int, rng: np.random.Generator
                     ) -> np.ndarray:
    """One legal representative per company: a random employee (or a random adult if none)."""
    order = rng.permutation(employer.size)
    shuffled = employer[order]
    has_job = shuffled >= 0
    representative = adults[rng.integers(0, adults.size, size=m)] if adults.size else np.zeros(m, np.int64)
    # the last write per company wins: a random employee, since the order is shuffled
    representative[shuffled[has_job]] = order[has_job]
    return representative.astype(np.int64)
