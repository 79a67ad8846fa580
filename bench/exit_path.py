"""Exit paths for generated households, beside plain classification of the same households.

Generates realistic ``rasoat.household/1`` documents as ``bench/classify.py`` does
(server/demo/population.py), parses them once, then on one core measures over the same parsed
households, chunk by chunk:

- baseline: classifying each household (``shared.engine.classify``);
- exit paths: each household's exit paths (``shared.exit.path.exit_paths``), which classify it,
  find the change of facts resolving each deprivation and classify each path's changed
  household again to check it.

The engine is the one production runs, compiled with mypyc, as in ``bench/classify.py``
(``--engine interpreted`` measures the modules as they are, as the tablet runs them); the exit
path module itself is always interpreted.

Usage: python -m bench.exit_path [--quick] [--count N] [--seed S] [--engine compiled|interpreted]
The last line is ``RESULT key=value …``.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import date

from bench.engine_build import engine_bench_arguments
from server.demo.population import random_household
from shared.engine import classify, parse_household
from shared.exit.path import exit_paths
from shared.household import Household
from shared.vocabulary import ON_LISTS

CHUNK = 20_000
REPEATS = 2


def generate(rng: random.Random, start: int, count: int) -> list[Household]:
    """Return ``count`` parsed households, 30 % urban, reviewed in October–November 2026."""
    households = []
    for number in range(start, start + count):
        area = "urban" if rng.random() < 0.3 else "rural"
        reference = date(2026, 10, 1) + (date(2026, 12, 1) - date(2026, 10, 1)) * rng.random()
        households.append(
            parse_household(random_household(rng, f"BENCH-{number:07d}", reference, area))
        )
    return households


def main() -> None:
    count, seed, engine = engine_bench_arguments(__doc__, __file__)
    rng = random.Random(seed)

    classify_seconds = paths_seconds = listed_seconds = 0.0
    listed = 0
    classes: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    done = 0
    while done < count:
        households = generate(rng, done, min(CHUNK, count - done))
        # Best of REPEATS passes each, taken in turn (as timeit does): the machine is shared and
        # the minimum is the figure least disturbed by the others' work.
        classify_best = paths_best = float("inf")
        for _ in range(REPEATS):
            started = time.perf_counter()
            for household in households:
                classify(household)
            classify_best = min(classify_best, time.perf_counter() - started)
            started = time.perf_counter()
            for household in households:
                exit_paths(household)
            paths_best = min(paths_best, time.perf_counter() - started)
        classify_seconds += classify_best
        paths_seconds += paths_best
        # Most households are off the lists and have no path to find; the households on them
        # are timed apart, as they are the ones a commune asks about.
        on_lists = [h for h in households if classify(h).household_class in ON_LISTS]
        started = time.perf_counter()
        for household in on_lists:
            paths = exit_paths(household)
            classes[paths.household_class] += 1
            if paths.household_class == "poor":
                ways = len(paths.to_near_poor)
                outcomes["tied" if ways > 1 else "one_path" if ways else "no_path"] += 1
        listed_seconds += time.perf_counter() - started
        listed += len(on_lists)
        done += len(households)
        print(
            f"  {done:>9,} households  classify {done / classify_seconds:>9,.0f}/s"
            f"  exit paths {done / paths_seconds:>9,.0f}/s",
            flush=True,
        )

    classify_rate = count / classify_seconds
    paths_rate = count / paths_seconds
    print(f"households:             {count:,}")
    print(f"classify (baseline):    {classify_rate:,.0f} households/s")
    print(f"exit paths:             {paths_rate:,.0f} households/s")
    listed_rate = listed / listed_seconds if listed_seconds else 0.0
    print(f"exit paths cost {classify_rate / paths_rate:.1f}× classifying alone")
    print(f"on the lists: {dict(classes)}; poor households' paths: {dict(outcomes)}")
    print(f"exit paths of the {listed:,} households on the lists: {listed_rate:,.0f}/s")
    print(
        f"RESULT engine={engine} households={count} paths_per_s={paths_rate:.0f} "
        f"classify_per_s={classify_rate:.0f} cost_vs_classify={classify_rate / paths_rate:.2f} "
        f"on_lists={listed} on_lists_paths_per_s={listed_rate:.0f}"
    )


if __name__ == "__main__":
    main()
