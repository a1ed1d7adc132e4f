"""The largest connected component of friend and family ties.

Both layers are symmetric, so a graph search can follow stored rows as they are (a cut
tie or free slot is a weight-0 self-loop, see ``state.Ties``). Most of the time one
friendship component holds nearly everyone: one breadth-first search finds it, and only
the few people outside it are labelled. Otherwise every component is labelled.

When the search reaches everyone, its tree is kept (:class:`LargestComponent`): until a cut
removes one of the tree's ties, the tree still spans everyone, and a tree cut in a few
places is mended from the cut-off people's remaining ties, so most measurements need no
new search.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order, connected_components

from .world import World, row_entries


def largest_component_share(world: World) -> float:
    """Share of citizens in the largest connected component of family + friend ties.
 A search from the best-connected citizen that reaches more than half
    of everyone has found the largest friendship component, which family ties can only
    enlarge; the rest are joined to it, or to each other, through their own rows (cost:
    one search, 25% below labelling every component at 100k).

    >>> import types
    >>> pair = sp.csr_matrix(np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]], float))
    >>> ties = types.SimpleNamespace(friends=pair, family=sp.csr_matrix((3, 3)))
    >>> world = types.SimpleNamespace(ties=ties, friend_degree=np.array([1.0, 1.0, 0.0]))
    >>> round(largest_component_share(world), 3)
    0.667
    """
    friends = world.ties.friends  # float64 weights: scipy searches it without a copy
    n = friends.shape[0]
    if n == 0:
        return 0.0
    start = int(np.argmax(world.friend_degree))
    reached = breadth_first_order(friends, start, directed=True, return_predecessors=False)
    return _share_from_search(world, reached)


def _share_from_search(world: World, reached: np.ndarray) -> float:
    """:func:`largest_component_share`, given who a friendship search reached."""
    friends = world.ties.friends
    n = friends.shape[0]
    if 2 * reached.size <= n:
        return _largest_by_labels(world, friends)
    if reached.size == n:
        return 1.0
    outside = np.ones(n, bool)
    outside[reached] = False
    rest = np.flatnonzero(outside)
    node = np.full(n, rest.size)  # the rest are nodes 0..k-1; the big component is node k
    node[rest] = np.arange(rest.size)
    ends = []
    for layer in (friends, world.ties.family):
        positions, source = row_entries(layer, rest)
        live = layer.data[positions] != 0
        ends.append((node[rest[source[live]]], node[layer.indices[positions[live]]]))
    one = np.concatenate([e[0] for e in ends])
    other = np.concatenate([e[1] for e in ends])
    joins = sp.csr_matrix((np.ones(one.size), (one, other)), shape=(rest.size + 1, rest.size + 1))
    _, labels = connected_components(joins, directed=True, connection="weak")  # the big node has no row
    sizes = np.bincount(labels, minlength=labels.max() + 1)
    sizes[labels[-1]] += reached.size - 1  # the big component counts all it holds
    return float(sizes.max() / n)


def _largest_by_labels(world: World, friends: sp.csr_matrix) -> float:
    """Label every friendship component, then join those that family ties bridge."""
    n = friends.shape[0]
    _, labels = connected_components(friends, directed=True, connection="strong")
    family = world.ties.family
    rows = np.repeat(np.arange(n), np.diff(family.indptr))
    ends = family.data != 0
    one, other = labels[rows[ends]], labels[family.indices[ends]]
    bridge = one != other
    if bridge.any():
        size = int(labels.max()) + 1
        joins = sp.csr_matrix((np.ones(int(bridge.sum())), (one[bridge], other[bridge])), shape=(size, size))
        _, merged = connected_components(joins, directed=True, connection="strong")
        labels = merged[labels]
    return float(np.bincount(labels).max() / n)


ROOT, DETACHED = -1, -2
"""Parent marks in a spanning tree: the root's, and a citizen whose tie to its parent was cut."""

MAX_DEPTH = 64
"""Longest path to the root a mended tree may have before a new search is made (a
breadth-first tree of a friendship network is about 10 deep)."""


class LargestComponent:
    """:func:`largest_component_share` kept between measurements.

    While a breadth-first tree over the friendships reaches everyone, everyone is in one
    component. Ties formed since cannot change that; a cut tie changes it only if it was a
    tree tie (a fifth of the ties at 100,000 citizens), and then the citizen below the cut
    is hung from any contact (friend or family) still connected to the root: a spanning
    tree of the new network, made without a search. If some cannot be re-hung, a new
    search decides. (A batch form of the replacement-edge idea in Holm, de Lichtenberg &
    Thorup 2001, "Poly-logarithmic deterministic fully-dynamic algorithms for
    connectivity", J. ACM 48:723.) The cuts come from ``world.ties.cuts``, recorded by
    ``World.end_friendships``; any other change to the layers sets it to None (search again).
    """

    def __init__(self):
        self.parents: np.ndarray | None = None  # the kept tree, when it spans everyone

    def share(self, world: World) -> float:
        cuts = world.ties.take_cuts()
        if self.parents is not None and cuts is not None:
            self.parents = mended_tree(world, self.parents, cuts)
            if self.parents is not None:
                return 1.0
        friends = world.ties.friends
        if friends.shape[0] == 0:
            return 0.0
        start = int(np.argmax(world.friend_degree))
        reached, parents = breadth_first_order(friends, start, directed=True, return_predecessors=True)
        if reached.size < friends.shape[0]:
            self.parents = None
            return _share_from_search(world, reached)
        parents = parents.astype(np.int64)
        parents[start] = ROOT
        self.parents = parents
        return 1.0


def mended_tree(world: World, parents: np.ndarray, cut_keys: np.ndarray) -> np.ndarray | None:
    """The spanning tree ``parents`` (``ROOT`` at its root) after the friendships
    ``cut_keys`` (``lo * n + hi``) were cut: each citizen whose tie to its parent is gone
    is hung from a contact that still reaches the root; None if some cannot be.
    Every tie of the tree returned is a tie of the network now, so it spans everyone.
    """
    n = parents.size
    one, other = np.divmod(cut_keys, n)
    child = np.where(parents[other] == one, other, np.where(parents[one] == other, one, -1))
    tree_tie = np.flatnonzero(child >= 0)
    gone = tree_tie[~world.are_friends(one[tree_tie], other[tree_tie])]  # not made again since
    if gone.size == 0:
        return parents
    parents = parents.copy()
    loose = np.unique(child[gone])
    parents[loose] = DETACHED  # a tie of the family too stays usable below: it is offered again
    while loose.size:
        whose, contact = _contacts(world, loose)
        usable = np.flatnonzero(_reaches_root(parents, contact))
        if usable.size:  # most hang from one of their own contacts
            hung, first = np.unique(whose[usable], return_index=True)  # one parent each
            parents[loose[hung]] = contact[usable[first]]
        elif not _hang_through_subtree(world, parents, int(loose[0])):
            return None  # cut off, or too far to tell: a search decides
        loose = loose[parents[loose] == DETACHED]
    return parents


def _hang_through_subtree(world: World, parents: np.ndarray, loose: int, limit: int = 5000) -> bool:
    """Re-hang the cut-off subtree of ``loose`` from a tie further down: search outward from
    ``loose`` through cut-off citizens for one with a contact that reaches the root, then turn
    the parents along the path found so that the subtree hangs from that contact. False if
    no such tie is found among ``limit`` citizens."""
    came_from = np.full(parents.size, -2, np.int64)  # -2: not reached; -1: where the search began
    came_from[loose] = -1
    frontier, reached = np.array([loose]), 1
    while frontier.size and reached < limit:
        whose, contact = _contacts(world, frontier)
        usable = np.flatnonzero(_reaches_root(parents, contact))
        if usable.size:
            below, above = int(frontier[whose[usable[0]]]), int(contact[usable[0]])
            while below != -1:  # turn the path: each citizen on it hangs from the one nearer the root
                parents[below], above, below = above, below, int(came_from[below])
            return True
        new = np.flatnonzero(came_from[contact] == -2)
        fresh, first = np.unique(contact[new], return_index=True)  # each reached once, by its first tie
        came_from[fresh] = frontier[whose[new[first]]]
        frontier, reached = fresh, reached + fresh.size
    return False


def _contacts(world: World, people: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every live friend and family tie of ``people``: index into ``people``, the contact."""
    ends = [world.tie_ends(people, layer) for layer in (world.ties.friends, world.ties.family)]
    return np.concatenate([whose for whose, _ in ends]), np.concatenate([contact for _, contact in ends]).astype(np.int64)


def _reaches_root(parents: np.ndarray, start: np.ndarray) -> np.ndarray:
    """For each node in ``start``: whether its path of parents reaches the root without
    meeting a detached citizen (within ``MAX_DEPTH`` steps; longer counts as no)."""
    reaches = np.zeros(start.size, bool)
    at, pending = start.copy(), np.arange(start.size)
    for _ in range(MAX_DEPTH):
        if pending.size == 0:
            break
        up = parents[at]
        reaches[pending[up == ROOT]] = True
        going = np.flatnonzero(up >= 0)
        pending, at = pending[going], up[going]
    return reaches
