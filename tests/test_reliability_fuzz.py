"""Fuzzing the two kinds of files users hand in: experiment files and graph files (Hypothesis).

Extends ``test_fuzz.py`` (the parameter schema): any experiment file the checker accepts runs;
a malformed one is refused in one line naming the field; any bytes given as a graph file either
load or raise :class:`GraphFileError` in one line — never another exception, never a traceback.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz import PARAMS, value_of, wrong_value

from trustcascade.experiments.files import _Reader, parse_experiment
from trustcascade.experiments.runner import perform, plan
from trustcascade.experiments.factory import build_society
from trustcascade.model.graphfile import GraphFileError, load_graph
from trustcascade.model.metrics import COLUMNS
from trustcascade.model.schema import ParameterError

FACTORABLE = [p for p in PARAMS if p.name not in ("n_citizens", "n_companies")]
"""Size parameters stay in [fixed] so every design point builds a small society."""


def toml_value(value) -> str:
    """A TOML literal for the values experiment files hold (enough for these tests)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, (int, str)):
        # JSON's string escapes are TOML's, except that TOML also wants DEL escaped
        return str(value) if isinstance(value, int) else json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"


def toml_text(sections: dict) -> str:
    return "".join(f"[{name}]\n" + "".join(f'"{k}" = {toml_value(v)}\n' for k, v in body.items()) + "\n"
                   for name, body in sections.items())


def check(sections: dict):
    text = toml_text(sections)
    import tomllib

    return parse_experiment(tomllib.loads(text), text, _Reader("fuzz.toml"))


@st.composite
def experiment_files(draw):
    """A small experiment: 1-3 factors drawn from the schema (lists of values), some fixed values."""
    chosen = draw(st.lists(st.sampled_from(FACTORABLE), min_size=1, max_size=3, unique_by=lambda p: p.name))
    factors = {p.name: draw(st.lists(value_of(p), min_size=1, max_size=2, unique=True)) for p in chosen}
    fixed_params = draw(st.lists(st.sampled_from([p for p in FACTORABLE if p.name not in factors]), max_size=3,
                                 unique_by=lambda p: p.name))
    fixed = {p.name: draw(value_of(p)) for p in fixed_params}
    fixed.update(n_citizens=draw(st.integers(20, 600)), n_companies=draw(st.integers(0, 10)))
    return {"experiment": {"name": "fuzz", "steps": draw(st.integers(1, 20)), "seed": draw(st.integers(0, 2**32)),
                           "replicates": 1},
            "fixed": fixed, "factors": factors,
            "output": {"metrics": draw(st.lists(st.sampled_from(list(COLUMNS[1:])), min_size=1, max_size=3,
                                                unique=True)),
                       "every": draw(st.one_of(st.just("final"), st.integers(1, 5)))}}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(experiment_files())
def test_any_experiment_file_the_checker_accepts_runs(sections):
    try:
        experiment = check(sections)
    except ParameterError as refusal:  # e.g. values the schema refuses together: one line, named
        assert "\n" not in str(refusal) and str(refusal).startswith("fuzz.toml: ")
        return
    for task in plan(experiment)[:2]:
        run_id, frame, failure = perform(build_society, task)
        if failure is not None:  # the only refusal left to build time (the file cannot know the ties)
            assert failure["error"].startswith("ParameterError: "), failure["error"]
            continue
        assert list(frame.columns[-len(task.metrics) - 1:]) == ["step", *task.metrics]
        assert frame["step"].iloc[-1] == task.steps and not frame[list(task.metrics)].isna().any().any()


@settings(max_examples=120, deadline=None)
@given(experiment_files(), st.data())
def test_a_malformed_experiment_file_is_refused_naming_the_field(sections, data):
    fault = data.draw(st.sampled_from(["bad value", "unknown key", "bad steps", "unknown section", "bad metric"]))
    if fault == "bad value":
        param = data.draw(st.sampled_from([p for p in PARAMS if p.name not in sections["factors"]]))
        sections["fixed"][param.name] = data.draw(wrong_value(param) if param.type is not str or param.choices
                                                  else st.integers())
        field = f"fixed.{param.name}"
    elif fault == "unknown key":
        sections["experiment"]["replicate"] = 2
        field = "experiment.replicate"
    elif fault == "bad steps":
        sections["experiment"]["steps"] = data.draw(st.one_of(st.integers(-5, 0), st.just("ten"), st.just(2.5)))
        field = "experiment.steps"
    elif fault == "unknown section":
        sections["factor"] = {"association_weight": [1.0]}
        field = "factor"
    else:
        sections["output"]["metrics"].append("listed_shares")
        field = "output.metrics"
    with pytest.raises(ParameterError) as refused:
        check(sections)
    message = str(refused.value)
    assert "\n" not in message and message.startswith(f"fuzz.toml: {field}"), (fault, message)


GRAPHML = nx.generate_graphml(nx.path_graph(12))
GRAPHML_TEXT = "\n".join(GRAPHML)


def assert_loads_or_one_line(path):
    try:
        adjacency, labels = load_graph(path)
    except GraphFileError as refusal:
        message = str(refusal)
        assert "\n" not in message and message.startswith(f"graph_file '{path}': "), message
        return None
    assert adjacency.shape == (len(labels), len(labels)) and (adjacency != adjacency.T).nnz == 0
    return labels


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400), st.sampled_from([".graphml", ".xml", ".txt", ".csv", ".edgelist", ".tsv"]))
def test_random_bytes_as_a_graph_file_load_or_are_refused_in_one_line(tmp_path, content, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(content)
    assert_loads_or_one_line(path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, len(GRAPHML_TEXT)), st.integers(0, len(GRAPHML_TEXT)), st.text(max_size=8))
def test_truncated_or_edited_graphml_loads_or_is_refused_in_one_line(tmp_path, cut, at, insert):
    path = tmp_path / "fuzz.graphml"
    path.write_text(GRAPHML_TEXT[:cut] if at > cut else GRAPHML_TEXT[:at] + insert + GRAPHML_TEXT[at:],
                    encoding="utf-8")
    labels = assert_loads_or_one_line(path)
    if at > cut and cut < len(GRAPHML_TEXT.rstrip()):
        assert labels is None  # a truncated document is never taken for a graph


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.one_of(st.integers(-3, 30).map(str), st.text("ab,#\t \x00é", max_size=4)),
                         max_size=4).map(" ".join), max_size=30))
def test_edited_edge_lists_load_or_are_refused_in_one_line(tmp_path, lines):
    path = tmp_path / "fuzz.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert_loads_or_one_line(path)


def test_a_tiny_record_error_rate_finishes_its_step():
    probe = ("from trustcascade.model.model import TrustCascade\n"
             "for seed in range(5):\n"
             "    TrustCascade(rng=seed, agents=False, n_citizens=50, n_companies=0, record_error_rate=1e-20).run(2)")
    try:
        subprocess.run([sys.executable, "-c", probe], check=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("two steps with record_error_rate=1e-20 ran for more than 30 s")
