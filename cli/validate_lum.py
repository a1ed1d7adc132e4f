"""``trustcascade validate lum``: the lum2014 society swept over listing durations (sentences)."""

from __future__ import annotations

import json

from trustcascade.model.schema import ParameterError


def durations(text: str) -> tuple[int, ...]:
    """``--durations 10,14,17`` -> (10, 14, 17): distinct whole months >= 1, with 14 and 17."""
    from trustcascade.model.validation.lum import HARSH, LENIENT

    try:
        values = tuple(sorted({int(part) for part in text.split(",")}))
    except ValueError:
        values = ()
    if not values or values[0] < 1 or values[-1] > 1200 or not {LENIENT, HARSH} <= set(values):
        raise ParameterError("--durations", f"--durations must be whole months from 1 to 1200 separated by "
                             f"commas, including {LENIENT} and {HARSH}; got {text[:40]!r}")
    return values


def lum_command(args) -> int:
    from trustcascade.model.validation import lum

    swept = durations(args.durations)
    result = lum.sweep(swept, n=args.n, seeds=args.seeds, seed=args.seed)
    elasticity, error = result.elasticity(lum.LENIENT, lum.HARSH)
    low, high = lum.steepest(result)
    if args.json:
        print(json.dumps({"durations": list(swept), "n": args.n, "seed": args.seed, "seeds": args.seeds,
                          "shares": result.shares.tolist(),
                          "mean_share": [result.mean(d) for d in swept],
                          "elasticity_14_17": elasticity, "elasticity_se": error,
                          "steepest": [low, high]}))
        return 0
    print(f"Lum et al. (2014) on the society model (preset lum2014): {args.n} citizens, {args.seeds} seeds "
          f"from seed {args.seed}, listed share averaged over months {lum.BURN_IN}-{lum.STEPS}")
    print(f"{'sentence (months)':>18}  {'listed share':>12}  95% CI")
    for duration in swept:
        ci = result.interval(duration)
        print(f"{duration:>18}  {result.mean(duration):>12.4f}  [{ci[0]:.4f}, {ci[1]:.4f}]")
    print(f"elasticity {lum.LENIENT}->{lum.HARSH} months: {elasticity:.1f} ± {error:.1f} (SE; 1 without contagion); "
          f"steepest rise between {low} and {high} months")
    print()
    widths = (22, 48, 44)
    for row in lum.COMPARISON:
        print("  ".join(f"{cell:<{w}}" for cell, w in zip(row, widths)) + "  " + row[-1])
    return 0
