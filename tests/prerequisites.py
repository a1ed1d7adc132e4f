"""What the browser tests need from the machine (chromium, the app's offline assets)."""

import os

import pytest


def missing_prerequisite(message: str):
    """Skip a test whose prerequisite is missing on a developer's machine; in CI, where
    ``./dev test`` installs chromium and the assets first, fail instead, so that a broken
    set-up can never pass as a run of skipped tests."""
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI runs ./dev test, which must have installed it)")
    pytest.skip(message)
