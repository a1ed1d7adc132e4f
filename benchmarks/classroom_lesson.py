"""One participatory lesson, scripted: 30 students on a real ``trustcascade classroom``.

The lesson of docs/teachers.md: three rounds of four months, the policy changed between
rounds (round 2: guilt by association doubled; round 3: domain-local sanctions), then the
debrief. Students are API clients with fixed habits (a third careful, a third who speak out,
a third who default on every other instalment; half of them cut a friend who
was just listed). Prints the debrief's numbers, the choice round-trip times and the
server's memory, for the lesson's write-up.

Usage: ``.venv/bin/python benchmarks/classroom_lesson.py [--students 30] [--seed 3] [--json FILE]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
from classroom_helpers import call, start_class  # noqa: E402

ROUNDS = ({}, {"name": "association_weight", "value": "2000"}, {"name": "sanction_scope", "value": "local"})
MONTHS_PER_ROUND = 4
MONTH_SECONDS = 3.0
"""A month lasts at least this long (in class, a minute or two)."""


def habits(student: int, month: int) -> dict:
    kind = student % 3
    return {
        "loan": "default" if kind == 2 and month % 2 == 1 else "repay",
        "red_light": "cross" if (student + month) % 4 == 0 else "wait",
        "criticise": "criticise" if kind == 1 else "stay_quiet",
        "parents": "stay_away" if kind == 0 and month % 5 == 0 else "visit",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="lesson-"))
    server, key = start_class(folder / "class.sqlite", folder / "server.log", seed=args.seed)
    base, latencies = server.url, []
    try:
        tokens = [call(base + "api/join", {"name": f"student {i:02d}"})[1]["token"] for i in range(args.students)]
        month = 0
        for round_number, policy in enumerate(ROUNDS, 1):
            if policy:
                assert call(f"{base}teacher/action?key={key}", {"action": "policy", "value": policy})[0] == 200
            for _ in range(MONTHS_PER_ROUND):
                month += 1
                opened = time.monotonic()
                for i, token in enumerate(tokens):
                    for decision, option in habits(i, month).items():
                        started = time.perf_counter()
                        status, state = call(base + "api/choose", {"token": token, "key": decision, "option": option})
                        latencies.append(time.perf_counter() - started)
                        assert status == 200, state
                    for item in state["choices"][4:]:
                        call(base + "api/choose", {"token": token, "key": item["key"],
                                                   "option": "cut" if i % 2 else "keep"})
                time.sleep(max(0.0, MONTH_SECONDS - (time.monotonic() - opened)))  # within the per-seat rate limit
                assert call(f"{base}teacher/action?key={key}", {"action": "next"})[0] == 200
        debrief = call(f"{base}projector/debrief?key={key}", timeout=120)[1]
        memory = psutil.Process(server.process.pid).memory_info().rss
        csv = call(f"{base}teacher/export.csv?key={key}")[1].decode()
    finally:
        server.stop()
    counts, comparison = debrief["counts"], debrief["comparison"]
    rows = [line.split(",") for line in csv.splitlines()[1:]]
    chosen = [r for r in rows if r[3]]
    differed = sum(1 for r in chosen if r[3] != r[4])
    result = {
        "students": args.students, "months": month, "seed": args.seed,
        "choices": len(chosen), "choices_unlike_the_model": differed,
        **counts,
        "class_listed_share": comparison["class_listed_share"], "model_listed_share": comparison["model_listed_share"],
        "students_ever_listed_model": comparison["students_ever_listed_model"],
        "listed_share_by_month_class": comparison["series_class"],
        "listed_share_by_month_model": comparison["series_model"],
        "choice_ms_median": round(1000 * statistics.median(latencies), 1),
        "choice_ms_p95": round(1000 * statistics.quantiles(latencies, n=20)[-1], 1),
        "server_rss_mb": round(memory / 1e6),
    }
    for name, value in result.items():
        print(f"{name}: {value}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
