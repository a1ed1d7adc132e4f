"""The parameter schema at work: validation, its messages, parsing and the params listing.

What `Param.__post_init__` and `Schema` check on import (known group, valid default, no duplicate
name) is not retested here: a schema that broke them would not import.
"""

import json
import subprocess
import sys

import pytest

from trustcascade.model.params import SCHEMA
from trustcascade.model.schema import ParameterError


@pytest.mark.parametrize("name, value, fragment", [
    ("surveillance_coverage", 1.5, "[0, 1]"),
    ("surveillance_coverage", -0.1, "[0, 1]"),
    ("n_citizens", 2.5, "integer"),
    ("n_citizens", "many", "integer"),
    ("network", "small_world", "watts_strogatz"),
    ("supervision_multiplier", 0.5, "[1, 100]"),
    ("rule_behave", 1, "true or false"),
    ("mean_degree", float("nan"), "number"),
])
def test_bad_values_are_refused_naming_the_parameter(name, value, fragment):
    with pytest.raises(ParameterError) as error:
        SCHEMA.resolve({name: value})
    message = str(error.value)
    assert f"'{name}'" in message and fragment in message and "\n" not in message
    assert error.value.name == name


def test_unknown_parameter_suggests_the_close_one():
    with pytest.raises(ParameterError, match="unknown parameter 'n_citizen'; did you mean 'n_citizens'"):
        SCHEMA.resolve({"n_citizen": 5})


@pytest.mark.parametrize("overrides, fragment", [
    ({"n_citizens": 10, "n_companies": 11}, "n_companies must be <= n_citizens"),
    ({"n_citizens": 10, "n_companies": 0, "mean_degree": 10}, "mean_degree must be < n_citizens"),
    ({"network": "file"}, "network=file needs graph_file"),
])
def test_cross_parameter_constraints(overrides, fragment):
    with pytest.raises(ParameterError, match=fragment):
        SCHEMA.resolve(overrides)


def test_parse_from_text():
    assert SCHEMA["n_citizens"].parse("2000") == 2000
    assert SCHEMA["n_citizens"].parse("2e3") == 2000
    assert SCHEMA["rule_list"].parse("off") is False
    assert SCHEMA["mean_degree"].parse("7") == 7.0
    with pytest.raises(ParameterError):
        SCHEMA["rule_list"].parse("maybe")


def test_params_json_lists_every_parameter():
    out = subprocess.run([sys.executable, "-m", "trustcascade.cli.main", "params", "--json"],
                         capture_output=True, text=True, check=True).stdout
    entries = json.loads(out)
    assert [e["name"] for e in entries] == list(SCHEMA.params)
    undocumented = [entry["name"] for entry in entries if not entry["help"].strip()]
    assert not undocumented, f"parameters without a meaning: {undocumented}"
    coverage = next(e for e in entries if e["name"] == "surveillance_coverage")
    assert (coverage["min"], coverage["max"], coverage["group"]) == (0.0, 1.0, "Authority")
