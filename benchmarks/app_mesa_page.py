"""Mesa's default SolaraViz network view of the same society (the baseline of app_speed.py).

Mesa's own pieces only: a ``mesa.discrete_space.Network`` over the friendship ties, one
``CellAgent`` per citizen reading the state arrays, ``SpaceRenderer`` with its default
matplotlib backend, and ``SolaraViz``. Two favours to Mesa, so the comparison is about
drawing: the layout is the app's cached one (Mesa would run ``spring_layout``, 8-10 s at
1,000 nodes, on every Reset: its SpaceRenderer recomputes the layout) and Play's interval is
10 ms, not 100.
Serve with ``solara run benchmarks/app_mesa_page.py``; ``TRUSTCASCADE_BENCH_N`` sets the size.
"""

import os

import networkx as nx
from mesa.discrete_space import CellAgent, Network
from mesa.visualization import SolaraViz, SpaceRenderer
from mesa.visualization.components import AgentPortrayalStyle
from mesa.visualization.space_drawers import NetworkSpaceDrawer

from trustcascade.model.model import TrustCascade
from trustcascade.visualization.layout import positions_for
from trustcascade.visualization.palette import GRADE_COLOURS, LISTED_OWN

N_CITIZENS = int(os.environ.get("TRUSTCASCADE_BENCH_N", "1000"))


class Person(CellAgent):
    """A citizen on Mesa's network space; standing read from the society's arrays."""

    def __init__(self, model, index, cell):
        super().__init__(model)
        self.index = index
        self.cell = cell


class SocietyOnNetwork(TrustCascade):
    """The same society, with its friendships as a Mesa network space (``self.grid``)."""

    def __init__(self, rng=1, n_citizens=N_CITIZENS, **params):
        super().__init__(rng=int(rng), agents=False, n_citizens=n_citizens, **params)
        self.grid = Network(nx.from_scipy_sparse_array(self.world.ties.friends), layout=None, random=self.random)
        for index in range(self.world.citizens.n):
            Person(self, index, self.grid._cells[index])


def portrayal(person):
    model = person.model
    citizens = model.world.citizens
    if citizens.listed[person.index]:
        return AgentPortrayalStyle(color=LISTED_OWN, size=20)
    grade = int(model.grade_of(citizens.score[person.index:person.index + 1])[0])
    return AgentPortrayalStyle(color=GRADE_COLOURS[grade], size=20)


class CachedLayoutRenderer(SpaceRenderer):
    """Mesa's renderer, with the app's cached layout instead of ``spring_layout``."""

    def _get_space_drawer(self):
        ties = self.space.G
        positions = positions_for(nx.to_scipy_sparse_array(ties, format="csr"),
                                  nx.to_scipy_sparse_array(nx.empty_graph(ties.number_of_nodes()), format="csr"))
        cached = {node: tuple(map(float, positions[node])) for node in ties.nodes}
        return NetworkSpaceDrawer(self.space, layout_alg=lambda graph, **kwargs: cached)


model = SocietyOnNetwork()
renderer = CachedLayoutRenderer(model, backend="matplotlib").setup_structure().setup_agents(portrayal)
renderer.render()
page = SolaraViz(model, renderer, components=[], play_interval=10, name="Mesa default view")
