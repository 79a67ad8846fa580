"""Write docs/household.schema.json from the format's definition: python docs/gen_schema.py."""

from pathlib import Path

import orjson

from shared.household import household_json_schema

TARGET = Path(__file__).parent / "household.schema.json"


def render() -> bytes:
    """Return the schema file's exact content."""
    return orjson.dumps(household_json_schema(), option=orjson.OPT_INDENT_2) + b"\n"


if __name__ == "__main__":
    TARGET.write_bytes(render())
