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


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="trustcascade", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)

    run = commands.add_parser("run", help="run one society and write one row per step")
    run.add_argument("--preset", help="named scenario (see `trustcascade presets`)")
    run.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                     help="set a parameter (repeatable; see `trustcascade params`)")
    run.add_argument("--at", action="append", default=[], metavar="STEP:NAME=VALUE",
                     help="change a parameter at a step, e.g. 60:listing_duration=1 (repeatable)")
    run.add_argument("--steps", type=steps_count, default=100, help="months to run (default 100)")
    run.add_argument("--seed", type=seed_value, default=None, help="random seed (default: drawn, then printed)")
    run.add_argument("--out", help="per-step table: FILE.parquet or FILE.csv")
    run.add_argument("--agents-out", help="final per-agent table: FILE.parquet or FILE.csv")
    run.add_argument("--graph-out", help="final network with attributes: FILE.graphml (for Gephi)")
    run.add_argument("--quiet", action="store_true", help="no progress bar or summary")

    params = commands.add_parser("params", help="list every parameter")
    params.add_argument("--json", action="store_true", help="a JSON list of parameter objects")
    params.add_argument("--group", help="only this group")

    commands.add_parser("presets", help="list the named scenarios")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            from .run import run_command

            return run_command(args)
        if args.command == "params":
            from .tables import params_command

            return params_command(args)
        if args.command == "presets":
            from .tables import presets_command

            return presets_command(args)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
