"""Build hook: compile the classification engine with mypyc when ``RASOAT_COMPILE=1``.

The engine classifies the whole country's households in a review; compiled, it runs about
1.7 times as fast as interpreted (``python -m bench.classify``). Compiling is opt-in, as black and
mypy do it: a development install stays plain Python, so an edited module takes effect at
once, and the tablet (python-for-android) runs the same modules interpreted. Production
builds compile (``deploy/Dockerfile``):

    RASOAT_COMPILE=1 pip install --no-build-isolation .

``--no-build-isolation`` because mypyc type-checks the modules with the project's own
dependencies (Pydantic and its mypy plugin) installed. Do not combine with ``-e``: the
compiled modules would then sit beside the sources and shadow later edits.
"""

from __future__ import annotations

import os

from setuptools import setup

COMPILED = ["shared/engine.py", "shared/indicators.py"]
"""The modules on the hot path of a classification. Everything they import stays
interpreted; the two must keep to what mypyc compiles (tests/shared/test_compiled.py)."""


def _extensions() -> list[object]:
    if os.environ.get("RASOAT_COMPILE") != "1":
        return []
    from mypyc.build import mypycify

    # The project-wide mypy configuration names modules outside this build.
    return list(mypycify(["--no-warn-unused-configs", *COMPILED], opt_level="3"))


setup(ext_modules=_extensions())
