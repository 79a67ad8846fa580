"""Build the compiled classification engine into a directory of its own.

The bench and the equivalence test run the compiled engine beside the interpreted one
without installing it: ``setup.py``'s own mypyc build (the one production uses) runs in a
copy of the sources, and putting the copy first on ``PYTHONPATH`` selects it. Builds are
kept per content of the compiled sources and the mypyc version, so a second run reuses one.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "engine"
_COPIED = ("setup.py", "pyproject.toml", "README.md")


def is_compiled() -> bool:
    """Return whether this process imports the compiled engine."""
    spec = importlib.util.find_spec("shared.engine")
    return spec is not None and spec.origin is not None and not spec.origin.endswith(".py")


def _fingerprint() -> str:
    digest = hashlib.sha256(importlib.metadata.version("mypy").encode())
    for path in [
        *sorted((ROOT / "shared").rglob("*.py")),
        ROOT / "setup.py",
        ROOT / "pyproject.toml",
    ]:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build(cache: Path = CACHE) -> Path:
    """Return a directory holding ``shared/`` with the engine compiled, building it if the
    sources changed since the last build. Raises CalledProcessError with mypyc's output if
    the build fails."""
    target = cache / _fingerprint()
    if (target / "ok").exists():
        return target
    scratch = cache / f"{target.name}.building-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    for name in _COPIED:
        shutil.copy2(ROOT / name, scratch / name)
    shutil.copytree(
        ROOT / "shared", scratch / "shared", ignore=shutil.ignore_patterns("__pycache__")
    )
    subprocess.run(
        [sys.executable, "setup.py", "--quiet", "build_ext", "--inplace"],
        cwd=scratch,
        env={**os.environ, "RASOAT_COMPILE": "1"},
        check=True,
        capture_output=True,
        text=True,
    )
    (scratch / "ok").touch()
    try:
        scratch.rename(target)
    except OSError:
        # Another process (a parallel test worker) finished the same build first.
        if not (target / "ok").exists():
            raise
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def rerun_compiled(script: str) -> NoReturn:
    """Build the compiled engine if needed and run ``script`` (a bench's ``__file__``) again,
    with the same arguments, on it; exit with its status."""
    if os.environ.get("RASOAT_BENCH_REEXEC"):
        sys.exit("the compiled engine was built but is not the one imported")
    print("building the compiled engine (mypyc; cached in .cache/engine/) …", flush=True)
    compiled = build()
    # The script's path, not -m: with -m the working directory would come first on the path
    # and the interpreted modules with it.
    sys.exit(
        subprocess.call(
            [sys.executable, script, *sys.argv[1:]],
            env={
                **os.environ,
                "PYTHONPATH": os.pathsep.join([str(compiled), str(ROOT)]),
                "RASOAT_BENCH_REEXEC": "1",
            },
        )
    )


def engine_bench_arguments(doc: str | None, script: str) -> tuple[int, int, str]:
    """Read an engine bench's command line (--quick, --count, --seed, --engine), run the
    bench again on the compiled engine when that is asked for and not imported; return the
    households to run, the seed and the engine measured."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 households (under 60 s)")
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--engine", choices=("compiled", "interpreted"), default="compiled")
    args = parser.parse_args()
    if args.engine == "compiled" and not is_compiled():
        rerun_compiled(script)
    engine = "compiled" if is_compiled() else "interpreted"
    print(f"engine: {engine}")
    return (100_000 if args.quick else args.count), args.seed, engine
