"""``trustcascade validate``: the society reduces to published cascade models.

    trustcascade validate [--quick] [--seed S] [--json]      every case, as a table
    trustcascade validate watts --phi F --mean-degree Z [--n N] [--trials T]
                                [--seed-fraction R] [--seed S] [--json]
    trustcascade validate granovetter [--n N] [--threshold-mean M --threshold-sd S
                                      | --thresholds 0,1,2,...] [--seed S] [--json]
    trustcascade validate lum [--durations 10,12,...] [--n N] [--seeds K] [--seed S] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys

from trustcascade.model.schema import ParameterError

from .main import seed_value

MAX_TRIALS = 100_000
MAX_WATTS_NODES = 5_000_000


def _number(flag: str, kind, low, high, low_open: bool = False):
    """An argparse type: ``kind`` within [low, high] (or (low, high]), else one line."""
    bracket = "(" if low_open else "["
    allowed = f"{'a whole number' if kind is int else 'a number'} in {bracket}{low:g}, {high:g}]"

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{flag} must be {allowed}; got {text!r}") from None
        if not (low < value if low_open else low <= value) or not value <= high:
            raise argparse.ArgumentTypeError(f"{flag} must be {allowed}; got {text!r}")
        return value
    return parse


def add_arguments(parser) -> None:
    parser.add_argument("--quick", action="store_true", help="fewer cases (about a minute)")
    parser.add_argument("--seed", dest="table_seed", type=seed_value, default=1,
                        help="random seed (default 1)")
    parser.add_argument("--json", dest="table_json", action="store_true", help="the table as JSON")
    cases = parser.add_subparsers(dest="case", parser_class=type(parser), metavar="{watts,granovetter,lum}")

    watts = cases.add_parser("watts", help="Watts (2002) threshold cascades on Erdos-Renyi graphs")
    watts.add_argument("--phi", required=True, type=_number("--phi", float, 0.0, 1.0),
                       help="threshold: share of listed friends that lists a citizen")
    watts.add_argument("--mean-degree", required=True, type=_number("--mean-degree", float, 0.0, 10_000.0),
                       help="mean degree z of the Erdos-Renyi graph")
    watts.add_argument("--n", type=_number("--n", int, 2, MAX_WATTS_NODES), default=10_000,
                       help="nodes (default 10000)")
    watts.add_argument("--trials", type=_number("--trials", int, 1, MAX_TRIALS), default=100,
                       help="trials, each with a new graph and new initially listed nodes (default 100)")
    watts.add_argument("--seed-fraction", type=_number("--seed-fraction", float, 0.0, 1.0, low_open=True),
                       help="share of nodes listed at the start (default: one node)")
    watts.add_argument("--seed", type=seed_value, default=1, help="random seed (default 1)")
    watts.add_argument("--json", action="store_true", help="JSON with share_global, mean_global_size")

    from trustcascade.model.validation.granovetter import MAX_PEOPLE

    riot = cases.add_parser("granovetter", help="Granovetter (1978) riot thresholds on a complete graph")
    riot.add_argument("--n", type=_number("--n", int, 2, MAX_PEOPLE), help="people (default 100)")
    riot.add_argument("--threshold-mean", type=_number("--threshold-mean", float, -1e6, 1e6),
                      help="mean of normal thresholds (with --threshold-sd)")
    riot.add_argument("--threshold-sd", type=_number("--threshold-sd", float, 0.0, 1e6),
                      help="standard deviation of normal thresholds (with --threshold-mean)")
    riot.add_argument("--thresholds", help="one whole-number threshold per person, comma-separated")
    riot.add_argument("--seed", type=seed_value, default=1, help="random seed for normal thresholds")
    riot.add_argument("--json", action="store_true", help="JSON with equilibrium")



    from trustcascade.model.validation import lum

    contagion = cases.add_parser("lum", help="Lum et al. (2014) contagion of imprisonment: tipping in sentence length")
    contagion.add_argument("--durations", default=",".join(map(str, lum.DURATIONS)),
                           help=f"listing durations (sentences, months) to sweep; must include {lum.LENIENT} "
                                f"and {lum.HARSH} (default {','.join(map(str, lum.DURATIONS))})")
    contagion.add_argument("--n", type=_number("--n", int, 100, 1_000_000), default=5000,
                           help="citizens (default 5000)")
    contagion.add_argument("--seeds", type=_number("--seeds", int, 2, 1000), default=10,
                           help="runs per duration, common seeds (default 10)")
    contagion.add_argument("--seed", type=seed_value, default=1, help="random seed (default 1)")
    contagion.add_argument("--json", action="store_true", help="JSON with the shares per duration and seed")


def command(args) -> int:
    if args.case == "watts":
        return _watts(args)
    if args.case == "granovetter":
        return _granovetter(args)
    if args.case == "lum":
        from .validate_lum import lum_command

        return lum_command(args)
    return _table(args)


def _watts(args) -> int:
    from trustcascade.model.validation.watts import run_watts

    if args.mean_degree > args.n - 1:
        raise ParameterError("--mean-degree", f"--mean-degree must be in [0, n - 1 = {args.n - 1}]; "
                             f"got {args.mean_degree:g}")
    if args.seed_fraction is not None and round(args.seed_fraction * args.n) < 1:
        raise ParameterError("--seed-fraction", f"--seed-fraction x n must list at least one node "
                             f"(>= {0.5 / args.n:g} for n = {args.n}); got {args.seed_fraction:g}")
    from trustcascade.model.memory import check_total, society_bytes

    check_total("--n", f"a network of --n {args.n} with --mean-degree {args.mean_degree:g}",
                society_bytes({"n_citizens": args.n, "mean_degree": args.mean_degree, "n_companies": 0,
                               "business_degree": 0.0}))
    result = run_watts(args.phi, args.mean_degree, args.n, args.trials, args.seed, args.seed_fraction)
    if args.json or args.table_json:
        print(json.dumps(result.as_dict()))
        return 0
    seeds = "one initially listed node" if args.seed_fraction is None else \
        f"initially listed share {args.seed_fraction:g}"
    size = "none" if result.mean_global_size is None else f"{result.mean_global_size:.4f}"
    print(f"Watts (2002) on the society model: phi={args.phi:g}, z={args.mean_degree:g}, n={args.n}, "
          f"{args.trials} trials, seed {args.seed}, {seeds}")
    print(f"share of trials giving a global cascade: {result.share_global:.3f} "
          f"({int(result.is_global.sum())} of {result.trials})")
    print(f"mean size of global cascades:            {size}")
    return 0


def _granovetter(args) -> int:
    from trustcascade.model.validation import granovetter

    normal = (args.threshold_mean, args.threshold_sd)
    if args.thresholds is not None and normal != (None, None):
        raise ParameterError("--thresholds", "give --thresholds or --threshold-mean/--threshold-sd, not both")
    if (normal[0] is None) != (normal[1] is None):
        raise ParameterError("--threshold-sd", "--threshold-mean and --threshold-sd go together")
    if args.thresholds is not None:
        thresholds = granovetter.check_thresholds(_whole_numbers(args.thresholds))
        if args.n is not None and args.n != thresholds.size:
            raise ParameterError("--n", f"--n is {args.n} but --thresholds gives {thresholds.size} people")
        source = "given thresholds"
    elif normal[0] is not None:
        thresholds = granovetter.normal_thresholds(args.n or 100, *normal, seed=args.seed)
        source = f"normal thresholds, mean {normal[0]:g}, sd {normal[1]:g}, seed {args.seed}"
    else:
        thresholds = granovetter.uniform_thresholds(args.n or 100)
        source = "thresholds 0, 1, ..., n - 1"
    joined = granovetter.equilibrium(thresholds)
    if args.json or args.table_json:
        print(json.dumps({"equilibrium": joined, "n": int(thresholds.size)}))
    else:
        print(f"Granovetter (1978) on the society model: {thresholds.size} people, {source}")
        print(f"equilibrium number of participants: {joined}")
    return 0


def _whole_numbers(text: str) -> list[float]:
    try:
        return [float(part) for part in text.split(",")]
    except ValueError:
        raise ParameterError("--thresholds", "--thresholds must be whole numbers >= 0 separated by commas, "
                             f"e.g. 0,1,2; got {text[:40]!r}") from None


def _table(args) -> int:
    from trustcascade.model.validation.cases import iter_cases

    rows = []
    if not args.table_json:
        print(f"{'case':<44} {'expected':<22} {'measured':<30} {'tolerance':<28} result  source")
    for case in iter_cases(quick=args.quick, seed=args.table_seed):
        rows.append(case)
        if not args.table_json:
            print(f"{case.name:<44} {case.expected:<22} {case.measured:<30} {case.tolerance:<28} "
                  f"{'pass' if case.passed else 'FAIL':<7} {case.source}", flush=True)
    passed = all(case.passed for case in rows)
    if args.table_json:
        print(json.dumps({"passed": passed, "quick": args.quick, "seed": args.table_seed,
                          "cases": [case.as_dict() for case in rows]}, indent=1))
    else:
        print(f"{sum(c.passed for c in rows)} of {len(rows)} cases pass", file=sys.stderr)
    return 0 if passed else 1
