"""``trustcascade run``: one society, one row per step, a short summary."""

from __future__ import annotations

import sys
import time

from trustcascade.model import presets
from trustcascade.model.interventions import parse_at
from trustcascade.model.memory import check_society, check_total, run_bytes
from trustcascade.model.params import SCHEMA
from trustcascade.model.schema import ParameterError

from .main import seed_value, steps_count
from .exports import GRAPH_SUFFIXES
from .output import TABLE_SUFFIXES, check_destination, check_distinct


def add_arguments(run) -> None:
    run.add_argument("--preset", help="named scenario (see `trustcascade presets`)")
    run.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                     help="set a parameter (repeatable; see `trustcascade params`)")
    run.add_argument("--at", action="append", default=[], metavar="STEP:NAME=VALUE",
                     help="change a parameter at a step, e.g. 60:listing_duration=1 (repeatable)")
    run.add_argument("--steps", type=steps_count, default=100, help="months to run (default 100)")
    run.add_argument("--seed", type=seed_value, default=None, help="random seed (default: drawn, then printed)")
    run.add_argument("--out", help="per-step table: FILE.parquet or FILE.csv")
    run.add_argument("--agents-out", help="final per-agent table: FILE.parquet or FILE.csv")
    run.add_argument("--graph-out", help="final network with attributes: FILE.graphml or FILE.gexf (Gephi, "
                     "networkx, igraph)")
    run.add_argument("--quiet", action="store_true", help="no progress bar or summary")


def resolve_inputs(args) -> tuple[dict, dict]:
    """Check every input before anything runs: parameters, preset, schedule, outputs."""
    overrides = dict(SCHEMA.parse_assignment(text) for text in args.set)
    chosen = presets.get(args.preset) if args.preset else None
    params = SCHEMA.resolve(overrides, base=chosen.params if chosen else None)
    check_society(params)  # before the model would, so that nothing is built
    check_total("--steps", f"a run of {args.steps} steps of n_citizens={params['n_citizens']}",
                run_bytes(params, args.steps))
    schedule: dict[int, dict] = {}
    for text in args.at:
        step, name, value = parse_at(text)
        if step > args.steps:
            raise ParameterError("--at", f"--at {text!r}: step {step} is beyond --steps {args.steps}; it "
                                 "would never happen")
        schedule.setdefault(step, {})[name] = value
    for flag, path, suffixes in output_files(args):
        if path:
            check_destination(path, flag, suffixes)
    check_distinct({flag: path for flag, path, _ in output_files(args)})
    return overrides, schedule


def output_files(args) -> tuple:  # noqa: N802 (a table of the output flags)
    """(flag, path, allowed suffixes) of each output file."""
    return (("--out", args.out, TABLE_SUFFIXES), ("--agents-out", args.agents_out, TABLE_SUFFIXES),
            ("--graph-out", args.graph_out, GRAPH_SUFFIXES))


def command(args) -> int:
    overrides, schedule = resolve_inputs(args)
    from trustcascade.model.graphfile import GraphFileError

    from trustcascade.model.model import TrustCascade
    from trustcascade.model.provenance import run_metadata, to_json

    started = time.perf_counter()
    try:
        model = TrustCascade(rng=args.seed, preset=args.preset, params=overrides, schedule=schedule,
                             agents=False)
    except GraphFileError as error:
        raise ParameterError("graph_file", str(error)) from None
    progress = _progress_bar(args.steps, quiet=args.quiet)
    try:
        table = model.run(args.steps, progress=progress.update if progress else None)
    finally:
        if progress:
            progress.close()
    metadata = to_json(run_metadata(model.seed, model.params, args.preset, schedule, args.steps))
    _write_outputs(model, table, metadata, args)
    if not args.quiet:
        _summary(model, table, time.perf_counter() - started, args)
    return 0


def _write_outputs(model, table, metadata: str, args) -> None:
    """Write the requested files all at once: a write that fails (disk full, read-only) is one line
    naming the flag, and leaves none of them written (temporary files, renamed when all are done)."""
    from trustcascade.experiments.storage import write_all_atomically

    from .exports import agents_table, graph_writer
    from .output import reason, table_outputs

    outputs, flag_of = [], {}
    for flag, path, suffixes in output_files(args):
        if not path:
            continue
        target = check_destination(path, flag, suffixes)
        if flag == "--graph-out":
            pairs = [(target, graph_writer(model, target))]
        else:
            pairs = table_outputs(table if flag == "--out" else agents_table(model), target, metadata)
        outputs += pairs
        flag_of.update({str(written): flag for written, _ in pairs})
    try:
        write_all_atomically(outputs)
    except OSError as error:
        flag = flag_of.get(str(getattr(error, "target", "")), "--out")
        raise ParameterError(flag, f"{flag}: cannot write: {reason(error)} (no output written)") from None


def _progress_bar(steps: int, quiet: bool):
    if quiet or steps == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=steps, unit="step", file=sys.stderr, delay=1.0, leave=False)


def _summary(model, table, seconds: float, args) -> None:
    c = model.world.citizens
    print(f"trustcascade run: {c.n} citizens, {model.world.companies.n} companies, "
          f"preset {args.preset or 'restrictions-everywhere'}, seed {model.seed}, "
          f"{len(table)} steps in {seconds:.1f} s")
    if len(table):
        last = table.iloc[-1]
        causes = {k.removeprefix("new_listings_"): int(table[k].sum())
                  for k in table.columns if k.startswith("new_listings_")}
        print(f"  listed now {last.listed_share:.2%} of citizens ({int(c.listed.sum())}), "
              f"{last.company_listed_share:.2%} of companies; collateral {last.collateral_share:.1%}")
        print(f"  listings over the run: {int(table.new_listings.sum())} by cause "
              + ", ".join(f"{k} {v}" for k, v in causes.items()))
        print(f"  mean score {last.mean_score:.1f}, Gini {last.score_gini:.3f}, "
              f"violation rate {last.violation_rate:.4f}, ties cut {int(table.ties_cut.sum())}, "
              f"largest component {last.largest_component_share:.1%}")
        denied = {k.removeprefix("denied_"): int(table[k].sum()) for k in table.columns if k.startswith("denied_")}
        print("  services denied: " + ", ".join(f"{k} {v}" for k, v in denied.items())
              + f"; debtors who paid while listed {int(table.paid_after_listing.sum())}")
        from trustcascade.model.metrics import false_listing_months

        falsely = false_listing_months(model.world)
        print(f"  objections upheld {int(table.objections_upheld.sum())}; months a falsely listed person "
              f"stayed listed: " + ("none listed falsely" if falsely != falsely else f"{falsely:.1f} on average"))
        for step, changes in sorted(model.schedule_of_changes.items()):
            if step > len(table):
                continue
            after = table[table["step"] >= step]
            change = ", ".join(f"{k}={v}" for k, v in changes.items())
            print(f"  from step {step} ({change}): {int(after.new_listings.sum())} listings, by cause "
                  + ", ".join(f"{c.removeprefix('new_listings_')} {int(after[c].sum())}"
                              for c in table.columns if c.startswith("new_listings_")))
    for flag, path in (("table", args.out), ("agents", args.agents_out), ("graph", args.graph_out)):
        if path:
            print(f"  {flag} written to {path}")
