"""The examples in docstrings are tests: each module's examples must run as written."""

import doctest
import importlib
import pkgutil

import pytest

import trustcascade.agents
import trustcascade.model


def _modules(package) -> list[str]:
    return [info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]


@pytest.mark.parametrize("name", _modules(trustcascade.model) + _modules(trustcascade.agents))
def test_docstring_examples_run_as_written(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} failed"
