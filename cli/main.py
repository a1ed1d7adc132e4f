"""``trustcascade``: run the society, list parameters and presets.

Every refusal is one line on stderr naming the field and what is allowed, with
exit code 2 and no traceback.
"""

from __future__ import annotations

import argparse
import sys

from trustcascade.model.schema import ParameterError

EXIT_BAD_INPUT = 2


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line (and exit code 2)."""

    def error(self, message: str):
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def steps_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--steps must be a whole number >= 0; got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"--steps must be a whole number >= 0; got {text!r}")
    return value


def seed_value(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"--seed must be a whole number >= 0; got {text!r}")
    return int(text)


# Each command lives in its own module with ``add_arguments(parser)`` and ``command(args) -> int``;
# modules must import nothing heavy at top level (``import mesa`` alone takes seconds).
COMMANDS = {
    "run": ("trustcascade.cli.run", "run one society and write one row per step"),
    "params": ("trustcascade.cli.tables", "list every parameter"),
    "presets": ("trustcascade.cli.presets", "list the named scenarios"),
    "app": ("trustcascade.cli.app", "serve the browser page (Solara) on 127.0.0.1:8765"),
    "classroom": ("trustcascade.cli.classroom", "a participatory class: students are citizens of one shared society"),
    "sweep": ("trustcascade.cli.sweep", "run an experiment file: many runs, streamed to a folder"),
    "validate": ("trustcascade.cli.validate", "check the model against Watts (2002), Granovetter (1978), Lum et al. (2014)"),
    "analyze": ("trustcascade.cli.analyze", "summarise a sweep folder: CIs, paired differences, indices, figures"),
    "calibrate": ("trustcascade.cli.calibrate", "fit parameters to observed metrics (ABC-SMC, pyabc)"),
}


def build_parser() -> argparse.ArgumentParser:
    from importlib import import_module

    parser = OneLineParser(prog="trustcascade", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    for name, (module, help_text) in COMMANDS.items():
        import_module(module).add_arguments(commands.add_parser(name, help=help_text))
    return parser


def main(argv: list[str] | None = None) -> int:
    from importlib import import_module

    args = build_parser().parse_args(argv)
    try:
        return import_module(COMMANDS[args.command][0]).command(args)
    except ParameterError as error:
        print(f"trustcascade: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. `trustcascade params | head`
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("trustcascade: interrupted; nothing written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
