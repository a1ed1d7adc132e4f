"""``trustcascade presets``: the named scenarios, one line each."""

from __future__ import annotations

from trustcascade.model.presets import PRESETS


def add_arguments(parser) -> None:
    """No options."""


def command(args) -> int:
    width = max(len(name) for name in PRESETS)
    for name, preset in PRESETS.items():
        print(f"{name:<{width}}  {preset.description}")
    return 0
