"""The parameter schema: declarations, validation and its messages."""

import json
import subprocess
import sys

import pytest

from trustcascade.model.domains import Domain
from trustcascade.model.params import RULES, SCHEMA
from trustcascade.model.schema import ParameterError

REQUIRED = {
    "n_citizens": int, "n_companies": int, "network": str, "mean_degree": float, "graph_file": str,
    "surveillance_coverage": float, "record_error_rate": float, "association_weight": float,
    "sanction_scope": str, "listing_rule": str, "listing_threshold": float,
    "listing_percentile": float, "listing_duration": int, "supervision_multiplier": float,
    "avoidance_probability": float, "initial_score": float, "network_metrics_every": int,
}


def test_required_parameters_exist_with_their_types():
    for name, kind in REQUIRED.items():
        assert SCHEMA[name].type is kind, name
    assert SCHEMA["network"].choices == ("watts_strogatz", "barabasi_albert", "erdos_renyi",
                                         "stochastic_block", "file")
    assert SCHEMA["sanction_scope"].choices == ("joint", "local")
    assert SCHEMA["listing_rule"].choices == ("threshold", "percentile")
    assert (SCHEMA["listing_percentile"].min, SCHEMA["listing_percentile"].max) == (0.0, 100.0)
    assert SCHEMA["supervision_multiplier"].min == 1.0
    for name in ("surveillance_coverage", "record_error_rate", "avoidance_probability"):
        assert (SCHEMA[name].min, SCHEMA[name].max) == (0.0, 1.0)


def test_every_parameter_is_fully_declared():
    for param in SCHEMA:
        assert param.help and param.group in ("Authority", "Society", "Network", "Behaviour", "Rules")
        assert param.check(param.default) == param.default
    for domain in (d.label for d in Domain):
        assert f"weight_{domain}" in SCHEMA.params and f"base_rate_{domain}" in SCHEMA.params
    for rule in RULES:
        assert SCHEMA[f"rule_{rule}"].type is bool


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
    for entry in entries:
        assert {"name", "type", "default", "group", "help"} <= entry.keys()
        assert "choices" in entry or ("min" in entry and "max" in entry)
    coverage = next(e for e in entries if e["name"] == "surveillance_coverage")
    assert (coverage["min"], coverage["max"], coverage["group"]) == (0.0, 1.0, "Authority")
