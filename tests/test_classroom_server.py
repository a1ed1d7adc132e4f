"""The class's server for real: the teacher's key, a crash and its restoration, the CLI's refusals."""

import os
import signal
import subprocess
import sys

import pytest
from classroom_helpers import call, start_class

from trustcascade.model.presets import get as get_preset

TEACHER_GETS = ["teacher", "projector", "teacher/state", "teacher/export.csv", "teacher/export.parquet",
                "projector/state", "projector/widgets", "projector/debrief", "projector/data/graph",
                "projector/data/frame"]
TEACHER_ACTIONS = [("next", None), ("auto", 1), ("pause", True), ("broadcast", "hello"), ("view", "debrief"),
                   ("policy", {"name": "association_weight", "value": "9"}), ("kick", 0), ("end", None)]


@pytest.fixture
def running(tmp_path):
    server, key = start_class(tmp_path / "class.sqlite", tmp_path / "server.log", citizens=300)
    try:
        yield server, key
    finally:
        server.stop()


def test_without_the_key_nothing_of_the_teachers_works(running):
    server, key = running
    base = server.url
    assert server.log_text().splitlines()[:2] == [f"teacher: http://127.0.0.1:{server.port}/teacher?key={key}",
                                                  f"students: http://127.0.0.1:{server.port}/"]
    assert len(key) >= 24  # random per class: 18 bytes
    status, seat = call(base + "api/join", {"name": "Ann"})
    assert status == 200
    for wrong in ("", "?key=", "?key=" + key[:-1] + ("A" if key[-1] != "A" else "B"), "?key=" + key.upper()):
        for path in TEACHER_GETS:
            status, body = call(base + path + wrong)
            assert status == 403, (path, wrong, status)
            assert body == {"error": "key: the teacher's key is missing or wrong"}
        for action, value in TEACHER_ACTIONS:
            status, body = call(base + "teacher/action" + wrong, {"action": action, "value": value})
            assert status == 403 and "key" in body["error"], (action, wrong)
    status, state = call(base + f"teacher/state?key={key}")
    assert status == 200
    assert (state["month"], state["auto"], state["paused"], state["view"], state["ended"], state["messages"]) == (
        0, 0, False, "network", False, [])
    untouched = get_preset("classroom").params["association_weight"]  # the class's preset, not the 9 sent
    assert state["policy"]["association_weight"] == untouched and len(state["seats"]) == 1
    _, me = call(base + f"api/me?token={seat['token']}")  # nothing a student sees holds the key
    _, page = call(base)
    assert key not in str(me) and key.encode() not in page
    assert call(base + f"teacher/action?key={key}", {"action": "next"})[0] == 200  # and with it, it works


def test_a_killed_class_restarts_exactly_where_it_was(tmp_path):
    journal, port = tmp_path / "class.sqlite", None
    server, key = start_class(journal, tmp_path / "first.log", citizens=400, seed=5)
    base, port = server.url, server.port
    try:
        tokens = [call(base + "api/join", {"name": f"student {i}"})[1]["token"] for i in range(5)]
        for month in range(3):
            for i, token in enumerate(tokens):
                assert call(base + "api/choose", {"token": token, "key": "loan",
                                                  "option": ("repay", "default")[(i + month) % 2]})[0] == 200
            assert call(base + f"teacher/action?key={key}", {"action": "next"})[0] == 200
        call(base + f"teacher/action?key={key}", {"action": "policy",
                                                  "value": {"name": "sanction_scope", "value": "local"}})
        call(base + f"teacher/action?key={key}", {"action": "broadcast", "value": "round two"})
        assert call(base + "api/choose", {"token": tokens[2], "key": "criticise", "option": "criticise"})[0] == 200
        before = {token: call(base + f"api/me?token={token}")[1] for token in tokens}
        console = call(base + f"teacher/state?key={key}")[1]
        exported = call(base + f"teacher/export.csv?key={key}")[1]
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(10)
    finally:
        server.stop()
    again, same_key = start_class(journal, tmp_path / "second.log", port=port, citizens=999, seed=1)
    try:
        assert same_key == key  # the journal's class wins over the new arguments
        after = {token: call(base + f"api/me?token={token}")[1] for token in tokens}
        for token in tokens:
            assert {k: v for k, v in after[token].items() if k != "version"} == \
                   {k: v for k, v in before[token].items() if k != "version"}
        assert after[tokens[2]]["choices"][2]["chosen"] == "criticise"  # the pending choice survived
        restored = call(base + f"teacher/state?key={key}")[1]
        strip = lambda s: [{k: v for k, v in seat.items() if k != "connected"} for seat in s["seats"]]
        assert (restored["month"], restored["policy"], strip(restored)) == (3, console["policy"], strip(console))
        assert call(base + f"teacher/export.csv?key={key}")[1] == exported
        assert "restored" in again.log_text() and "Traceback" not in again.log_text()
    finally:
        again.stop()


@pytest.mark.parametrize("args, message", [
    (["--citizens", "5"], "--citizens must be a whole number in the range [10, 20000]; got '5'"),
    (["--port", "http"], "--port must be a whole number in the range [0, 65535]"),
    (["--preset", "nope"], "unknown preset 'nope'"),
    (["--seed", "9" * 5000], "--seed must be a whole number in the range [0, 2**63)"),
    (["--journal", "/nonexistent-folder/x.sqlite"], "--journal: the folder /nonexistent-folder does not exist"),
])
def test_the_command_refuses_bad_input_in_one_line(args, message, tmp_path):
    done = subprocess.run([sys.executable, "-m", "trustcascade.cli.main", "classroom", *args],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_a_file_that_is_not_a_journal_is_refused(tmp_path):
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("just some notes")
    done = subprocess.run([sys.executable, "-m", "trustcascade.cli.main", "classroom", "--journal", str(bogus)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "is not a class journal" in done.stderr
