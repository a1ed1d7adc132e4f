"""``trustcascade sweep FILE --out DIR``: run an experiment file, streaming one Parquet file per run.

Exit codes: 0 every run finished; 1 some runs failed (recorded in DIR/failed/) or a worker died;
2 bad input (nothing written); 130 interrupted (finished runs kept; rerun to resume).
"""

from __future__ import annotations

import argparse
import sys

from trustcascade.model.schema import ParameterError


def worker_count(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"--workers must be a whole number >= 1; got {text!r}")
    return int(text)


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE",
                        help="experiment file (TOML), e.g. experiments/joint-vs-local.toml")
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="results folder; rerunning into it resumes (skips finished runs)")
    parser.add_argument("--workers", type=worker_count, default=None, metavar="K",
                        help="local worker processes (default: number of cores)")
    parser.add_argument("--resume", action="store_true",
                        help="insist on continuing the sweep already in DIR (refuse if there is none)")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                        help="run on this Dask cluster instead of local processes")
    parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")


def command(args) -> int:
    from trustcascade.experiments.executors import open_executor
    from trustcascade.experiments.files import read_experiment
    from trustcascade.experiments.storage import check_folder

    from .output import reason

    if args.scheduler and args.workers:
        raise ParameterError("--workers", "--workers sets the local pool; a Dask cluster's size is "
                             "set where the cluster is started")
    experiment = read_experiment(args.file)
    check_folder(args.out, experiment.fingerprint, experiment.name, resume=args.resume,
                 inputs=experiment.input_fingerprints())
    from trustcascade.experiments.runner import SweepAborted, sweep

    with open_executor(args.workers, args.scheduler) as (executor, slots, label):
        try:
            summary = sweep(experiment, args.out, executor, window=2 * slots, progress=not args.quiet,
                            session={"executor": label})
        except KeyboardInterrupt:
            print(f"trustcascade sweep: interrupted; finished runs are kept in {args.out}; "
                  "rerun the same command to resume", file=sys.stderr)
            return 130
        except SweepAborted as error:
            print(f"trustcascade sweep: error: {error}", file=sys.stderr)
            return 1
        except OSError as error:  # disk full, folder made read-only mid-sweep: one line, runs kept
            print(f"trustcascade sweep: error: cannot write to {args.out}: {reason(error)}; finished runs "
                  "are kept (each file is whole or absent); fix that and rerun to resume", file=sys.stderr)
            return 1
    if not args.quiet:
        _report(experiment, summary, label, args.out)
    return 0 if summary.complete else 1


def _report(experiment, summary, label: str, out: str) -> None:
    rate = summary.finished / summary.seconds if summary.seconds > 0 else 0.0
    print(f"trustcascade sweep: {experiment.name}: {summary.total} runs ({len(experiment.points)} points "
          f"x {experiment.replicates} replicates, design {experiment.design.name}); "
          f"{summary.finished} finished now, {summary.skipped} already done, {summary.failed} failed")
    print(f"  {summary.seconds:.1f} s, {rate:.2f} runs/s on {label}")
    if summary.failed:
        print(f"  failed runs are recorded in {out}/failed/ (error and traceback); "
              "rerun the same command to retry them")
    print(f"  results in {out}/runs/; in Python: trustcascade.experiments.load({out!r})")
