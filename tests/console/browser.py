"""Helpers of the browser tests: sign in, keep a screenshot, check accessibility."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser_fixtures import AXE

SERIOUS = {"serious", "critical"}


def sign_in(page: Any, username: str, password: str = "rasoat-demo") -> None:
    page.goto("/")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form[action='/signin'] button[type=submit]")
    page.wait_for_url("**/home")


def sign_out(page: Any) -> None:
    page.click("form[action='/signout'] button")
    page.wait_for_url("**/")


def keep(page: Any, folder: Path, name: str) -> Path:
    """Save a full-page screenshot of the current page as ``name``.png."""
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """Run the vendored axe-core on the page; return its serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


def look(page: Any, folder: Path, name: str) -> None:
    """Keep a screenshot of the page and insist on no serious accessibility violation."""
    keep(page, folder, name)
    violations = serious_violations(page)
    assert not violations, f"{name}: {violations}"
