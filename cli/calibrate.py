"""``trustcascade calibrate FILE --out DIR``: fit parameters to observed metrics by ABC-SMC (pyabc).

Exit codes: 0 done; 2 bad input (nothing written); 130 interrupted (finished populations are kept
in DIR/history.db; rerun with --resume to continue).
"""

from __future__ import annotations

import json
import sys

from trustcascade.model.schema import ParameterError

from .sweep import worker_count


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE", help="calibration file (TOML); see docs/calibration.md")
    parser.add_argument("--out", required=True, metavar="DIR", help="results folder (history.db, posterior.csv, "
                        "summary.csv, metadata.json, figures/)")
    parser.add_argument("--workers", type=worker_count, default=None, metavar="K",
                        help="local worker processes (default: number of cores)")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                        help="run the model on this Dask cluster instead of local processes")
    parser.add_argument("--resume", action="store_true",
                        help="continue the calibration in DIR (refused if the file changed)")
    parser.add_argument("--json", action="store_true", help="print the posterior summary as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")


def command(args) -> int:
    from trustcascade.experiments.calibrate import calibrate, check_calibration_folder
    from trustcascade.experiments.calibration_file import read_calibration
    from trustcascade.experiments.executors import open_executor

    if args.scheduler and args.workers:
        raise ParameterError("--workers", "--workers sets the local pool; a Dask cluster's size is "
                             "set where the cluster is started")
    try:
        import pyabc  # noqa: F401
    except ImportError:
        raise ParameterError("calibrate", "trustcascade calibrate needs pyabc: "
                             "pip install 'trustcascade[calibrate]'") from None
    calibration = read_calibration(args.file)
    check_calibration_folder(args.out, calibration, resume=args.resume)
    with open_executor(args.workers, args.scheduler) as (executor, slots, label):
        try:
            calibrate(calibration, args.out, executor, slots, label, progress=not (args.quiet or args.json))
        except KeyboardInterrupt:
            print(f"trustcascade calibrate: interrupted; finished populations are kept in {args.out}/history.db; "
                  "rerun with --resume to continue", file=sys.stderr)
            return 130
    import pandas as pd

    table = pd.read_csv(f"{args.out}/summary.csv")
    if args.json:
        print(json.dumps(json.loads(table.to_json(orient="records")), indent=1))
    elif not args.quiet:
        print(f"trustcascade calibrate: {calibration.name}: posterior of {len(calibration.priors)} "
              f"parameter(s), {calibration.particles} particles, population {calibration.populations}")
        print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        print(f"  results in {args.out}/ (posterior.csv, summary.csv, figures/, history.db)")
    return 0
