"""The class's journal: every action appended to SQLite before it takes effect.

The society is rebuilt from its seed and the journal replayed in order, so a server killed
at any moment (even SIGKILL) restarts in exactly the state it had: an action is either
committed to the file (and so replayed) or it never took effect. Standard library only.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, at REAL NOT NULL, kind TEXT NOT NULL,
                                   data TEXT NOT NULL);
"""


class Journal:
    """An append-only list of ``(kind, data)`` events plus the class's settings (``meta``)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        fresh = not self.path.exists()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        if fresh:  # it holds the teacher's key: readable by this user only
            os.chmod(self.path, 0o600)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # committed means on disk
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()

    def meta(self) -> dict:
        return {name: json.loads(value) for name, value in self._db.execute("SELECT name, value FROM meta")}

    def set_meta(self, values: dict) -> None:
        with self._lock:
            self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                 [(name, json.dumps(value)) for name, value in values.items()])

    def append(self, kind: str, data: dict) -> int:
        """Write one event and commit it (before the caller applies it); its sequence number."""
        with self._lock:
            cursor = self._db.execute("INSERT INTO events (at, kind, data) VALUES (?, ?, ?)",
                                      (time.time(), kind, json.dumps(data, separators=(",", ":"))))
            return int(cursor.lastrowid)

    def events(self):
        """Every event in the order written: (seq, at, kind, data)."""
        rows = self._db.execute("SELECT seq, at, kind, data FROM events ORDER BY seq").fetchall()
        return [(seq, at, kind, json.loads(data)) for seq, at, kind, data in rows]

    def close(self) -> None:
        self._db.close()
