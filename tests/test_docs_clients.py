"""Issue 17, item 6: every code block of docs/clients.md runs (in order, one namespace, a fresh
folder), so the examples for mesa.batch_run, EMA Workbench, igraph, duckdb and Jupyter hold."""

import re
from pathlib import Path

PAGE = Path(__file__).resolve().parent.parent / "docs" / "clients.md"


def blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.S)


def test_the_page_has_an_example_for_each_client():
    text = "\n".join(blocks())
    for client in ("mesa.batch_run", "ReplicatorModel", "function=np.mean", "igraph.Graph.Read_GraphML",
                   "duckdb.sql", "solara.render(Page()"):
        assert client in text, client


def test_every_example_on_the_page_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for number, code in enumerate(blocks(), 1):
        exec(compile(code, f"{PAGE.name} block {number}", "exec"), namespace)  # noqa: S102
    assert (tmp_path / "society.graphml").is_file() and (tmp_path / "sweep" / "runs").is_dir()
