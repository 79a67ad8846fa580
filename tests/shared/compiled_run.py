"""Classify the households of a JSON file and print every result, for test_compiled.py.

Run twice, once with the compiled engine first on PYTHONPATH and once without: the two
outputs must be identical. The first line names the engine module that was imported.

Usage: python tests/shared/compiled_run.py HOUSEHOLDS.json DATA_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import orjson

from shared.engine import __file__ as engine_file
from shared.engine import classify, parse_household
from shared.errors import RasoatError
from shared.score_a import parse_score_table
from shared.standards import load_catalog, parse_local_standard


def main() -> None:
    documents = orjson.loads(Path(sys.argv[1]).read_bytes())
    data = Path(sys.argv[2])
    catalog = load_catalog()
    local = parse_local_standard((data / "local-example.yaml").read_text("utf-8"), catalog)
    score_a = parse_score_table((data / "score-a-example.yaml").read_text("utf-8"))
    out = sys.stdout.buffer
    out.write(f"{Path(engine_file).name}\n".encode())
    for document in documents:
        try:
            household = parse_household(orjson.dumps(document))
        except RasoatError as exc:
            out.write(orjson.dumps({"error": exc.code, "message": str(exc)}) + b"\n")
            continue
        for lang in ("vi", "en"):
            out.write(orjson.dumps(classify(household).to_dict(lang)) + b"\n")
        out.write(orjson.dumps(classify(household, local=local).to_dict("vi")) + b"\n")
        scored = classify(household, income_estimator=score_a)
        out.write(orjson.dumps(scored.to_dict("en")) + b"\n")
        for standard in catalog.standards:
            out.write(orjson.dumps(classify(household, standard=standard).to_dict("vi")) + b"\n")


if __name__ == "__main__":
    main()
