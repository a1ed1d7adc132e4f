"""``trustcascade analyze DIR``: replicate means with 95% CIs, paired differences, sensitivity indices,
and (with ``--figures``) the figures of a sweep folder.

Tables are printed and written as CSV (``summary.csv``, ``paired.csv``, ``sensitivity.csv``) into
the figures folder, or into DIR without ``--figures``. Exit codes: 0 done; 2 bad input (one line,
nothing written).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from trustcascade.model.schema import ParameterError
from trustcascade.model.provenance import install_hint

PRINTED_POINTS = 40


def step_number(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"--step must be a whole number >= 0; got {text!r}")
    return int(text)


def add_arguments(parser) -> None:
    parser.add_argument("dir", metavar="DIR", help="a sweep folder made by `trustcascade sweep FILE --out DIR`")
    parser.add_argument("--figures", metavar="FIGDIR",
                        help="draw the figures (PNG and SVG) into this folder, and write the tables there")
    parser.add_argument("--step", type=step_number, metavar="N",
                        help="analyse this recorded step (default: the final step)")
    parser.add_argument("--metrics", metavar="A,B",
                        help="comma-separated metrics to analyse (default: all recorded)")


def command(args) -> int:
    from trustcascade.experiments.analysis import (choose, describe, open_sweep, paired_differences,
                                                   sensitivity, summary, write_tables)

    figures = _figure_folder(args.figures) if args.figures else None
    sweep = open_sweep(args.dir)
    wanted = [m.strip() for m in args.metrics.split(",") if m.strip()] if args.metrics else None
    if args.metrics is not None and not wanted:
        raise ParameterError("--metrics", "--metrics needs at least one metric name")
    step, metrics = choose(sweep, args.step, wanted)
    if figures is not None:
        _check_matplotlib()
    tables = {"summary": summary(sweep, step, metrics), "paired": paired_differences(sweep, step, metrics)}
    tables["sensitivity"], notes = sensitivity(sweep, step, metrics)

    print(describe(sweep))
    _print_summary(sweep, tables["summary"], metrics, step)
    _print_paired(tables["paired"], sweep.factors, step)
    _print_sensitivity(tables["sensitivity"], notes, step)
    folder = figures or sweep.path
    if figures is not None:
        figures.mkdir(exist_ok=True)
    written = write_tables(folder, tables)
    if figures is not None:
        from trustcascade.experiments.figures import draw_all

        written += draw_all(sweep, figures, step, metrics, tables)
    print(f"\nwrote {len(written)} files into {folder}: " + ", ".join(p.name for p in written))
    return 0


def _figure_folder(text: str) -> Path:
    """The folder for figures: an existing folder, or a new one whose parent exists and is writable."""
    import os

    folder = Path(text)
    if folder.exists() and not folder.is_dir():
        raise ParameterError("--figures", f"--figures '{text}' is a file; give a folder")
    parent = folder if folder.exists() else (folder.parent if str(folder.parent) else Path("."))
    if not parent.is_dir():
        raise ParameterError("--figures", f"--figures '{text}': folder '{parent}' does not exist")
    if not os.access(parent, os.W_OK):
        raise ParameterError("--figures", f"--figures '{text}': '{parent}' is not writable")
    return folder


def _check_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ParameterError("--figures", "--figures needs matplotlib: " + install_hint("sweeps")) from None


def _print_summary(sweep, table, metrics: list, step: int) -> None:
    """One row per design point: 'mean [low, high]' per metric."""
    import pandas as pd

    print(f"\nmean [95% CI] over replicates at step {step}:")
    cells = table.assign(cell=[_interval(m, lo, hi) for m, lo, hi in zip(table["mean"], table["ci_low"],
                                                                             table["ci_high"])])
    wide = cells.pivot(index="point_id", columns="metric", values="cell")[metrics]
    counts = table.drop_duplicates("point_id").set_index("point_id")
    shown = pd.concat([counts[sweep.factors], counts["n"].rename("n"), wide], axis=1)
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.max_colwidth", 30):
        print(shown.head(PRINTED_POINTS).to_string())
    if len(shown) > PRINTED_POINTS:
        print(f"... {len(shown) - PRINTED_POINTS} more design points in summary.csv")


def _print_paired(table, factors: list, step: int) -> None:
    if table.empty:
        return
    print(f"\npaired differences (same seeds) at step {step}: mean [95% CI], paired t test")
    for (factor, contrast), rows in table.groupby(["factor", "contrast"], sort=False):
        print(f"  {factor}: {contrast}")
        others = [f for f in factors if f != factor]
        for _, row in rows.iterrows():
            where = ", ".join(f"{c}={row[c]:g}" if isinstance(row[c], float) else f"{c}={row[c]}" for c in others)
            print(f"    {row['metric']:30s} {_interval(row['mean'], row['ci_low'], row['ci_high']):32s} "
                  f"n={row['n']:<3d} p={row['p_value']:.3g}  {where}")


def _print_sensitivity(table, notes: list, step: int) -> None:
    if table.empty and not notes:
        return
    print(f"\nsensitivity indices at step {step}:")
    if not table.empty:
        print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    for note in notes:
        print(f"  note: {note}")


def _interval(mean: float, low: float, high: float) -> str:
    if low != low:  # one replicate: no interval
        return f"{mean:.4g}"
    return f"{mean:.4g} [{low:.4g}, {high:.4g}]"

