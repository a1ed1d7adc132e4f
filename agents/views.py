"""Attributes that are views of the society's arrays (one source of truth, no copies)."""

from __future__ import annotations


class ArrayView:
    """A Mesa agent attribute that reads and writes one element of a state array.

    ``population`` is ``"citizens"`` or ``"companies"``; ``field`` names the array in
    ``model.world.society.<population>``. Reading ``agent.score`` reads
    ``score[agent.index]``; assigning writes it back.
    """

    def __init__(self, population: str, field: str, kind=float, doc: str = ""):
        self.population, self.field, self.kind = population, field, kind
        self.__doc__ = doc

    def array(self, agent):
        return getattr(getattr(agent.model.world.society, self.population), self.field)

    def __get__(self, agent, owner=None):
        if agent is None:
            return self
        return self.kind(self.array(agent)[agent.index])

    def __set__(self, agent, value) -> None:
        self.array(agent)[agent.index] = value
