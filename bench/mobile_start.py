"""Cold start of the tablet app to a hamlet list of 2,000 households, under Xvfb.

Each measurement is a fresh process (nothing warm): import Kivy and the app, open the window,
sign in as the demo enumerator (the real key derivation), open the 2,000-household hamlet and
wait until its list is laid out and drawn. The baseline, in the same run, is a fresh process
that imports Kivy and draws one label in a window: the floor any Kivy app pays.

After the start is timed, the same process scrolls the list from top to bottom one step per
frame (frames per second while scrolling) and opens a household's review form from its page
(the time to the form drawn, last year's roster preloaded).

Usage: python -m bench.mobile_start [--quick] [--runs N]
Needs an X display; without DISPLAY it starts Xvfb (apt-get install -y xvfb). Target: ≤ 3 s,
peak memory reported. The last line is ``RESULT key=value …``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_SECONDS = 3.0
BIG_HAMLET = 1  # the demo's "Thôn Khuổi Phầy 2", 2,000 households
SCROLL_FRAMES = 90


def _finish(started: float, **facts: Any) -> None:
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": time.time() - started, "peak_mb": peak_kb / 1024, **facts}))
    sys.stdout.flush()
    os._exit(0)


def child_baseline(started: float) -> None:
    """Draw one label in a Kivy window, then report."""
    from mobile.app.env import prepare

    prepare()
    from kivy.app import App
    from kivy.clock import Clock
    from kivy.uix.label import Label

    class Bare(App):  # type: ignore[misc]  # Kivy has no type hints
        def build(self) -> Label:
            return Label(text="Rà Soát")

        def on_start(self) -> None:
            Clock.schedule_once(lambda _dt: _finish(started), 0)

    Bare().run()


def child_app(started: float, data_dir: Path) -> None:
    """Start the real app, sign in, open the big hamlet, report when its list is drawn."""
    from mobile.app.env import prepare

    prepare()
    from kivy.clock import Clock

    from mobile.app.main import RasoatApp
    from mobile.context import AppContext
    from mobile.demo import DEMO_SECRET, DEMO_USER
    from mobile.facades.camera import FakeCamera
    from mobile.facades.location import FakeLocator

    app = RasoatApp(AppContext(data_dir, camera=FakeCamera(), locator=FakeLocator()))
    phases: dict[str, float] = {}

    def list_drawn(_dt: float) -> None:
        rows = len(app.root.get_screen("households").ids.list.data)
        if rows < 2000:
            Clock.schedule_once(list_drawn, 0)
            return
        # One more frame so the first page of rows is on screen, not only in the data.
        phases["rows"] = rows
        Clock.schedule_once(drawn, 0)

    def drawn(_dt: float) -> None:
        phases["start_s"] = time.time() - started
        phases["screen"] = app.root.current
        scroll = app.root.get_screen("households").ids.list
        begun = time.perf_counter()
        steps = iter(range(1, SCROLL_FRAMES + 1))

        def step(_dt: float) -> None:
            done = next(steps, None)
            if done is None:
                phases["scroll_fps"] = SCROLL_FRAMES / (time.perf_counter() - begun)
                Clock.schedule_once(open_form, 0)
                return
            scroll.scroll_y = 1 - done / SCROLL_FRAMES
            Clock.schedule_once(step, 0)

        Clock.schedule_once(step, 0)

    def open_form(_dt: float) -> None:
        rows = app.root.get_screen("households").ids.list.data
        begun = time.perf_counter()
        app.show("detail", household_id=rows[len(rows) // 2]["household_id"])
        app.root.get_screen("detail").act()

        def shown(_dt: float) -> None:
            phases["form_open_s"] = time.perf_counter() - begun
            phases["form_screen"] = app.root.current
            _finish(started, **phases)

        Clock.schedule_once(shown, 0)

    def signed_in(_dt: float) -> None:
        # Sign-in may complete on a later frame; the hamlet opens only once home is shown.
        if app.root.current != "home":
            Clock.schedule_once(signed_in, 0)
            return
        phases["signed_in_s"] = time.time() - started
        app.root.get_screen("home").open_hamlet(BIG_HAMLET, "demo")
        Clock.schedule_once(list_drawn, 0)

    def sign_in(_dt: float) -> None:
        phases["window_s"] = time.time() - started
        signin = app.root.get_screen("signin")
        signin.ids.username.text = DEMO_USER
        signin.ids.secret.text = DEMO_SECRET
        signin.submit()
        Clock.schedule_once(signed_in, 0)

    Clock.schedule_once(sign_in, 0)
    app.run()


def _measure(kind: str, data_dir: Path, env: dict[str, str]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, str(data_dir), str(time.time())]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{kind} run failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run of each (a few seconds)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, data_dir, started = args.child
        if kind == "baseline":
            child_baseline(float(started))
        else:
            child_app(float(started), Path(data_dir))
        return

    runs = 1 if args.quick else args.runs
    env = dict(os.environ, KIVY_NO_ARGS="1")
    xvfb = None
    if not env.get("DISPLAY"):
        binary = shutil.which("Xvfb")
        if binary is None:
            raise SystemExit("no DISPLAY and no Xvfb (apt-get install -y xvfb)")
        env["DISPLAY"] = ":97"
        xvfb = subprocess.Popen([binary, ":97", "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
        time.sleep(0.5)
    try:
        with tempfile.TemporaryDirectory() as folder:
            data_dir = Path(folder)
            from mobile.context import AppContext
            from mobile.demo import seed_demo
            from mobile.facades.camera import FakeCamera
            from mobile.facades.location import FakeLocator

            context = AppContext(data_dir, camera=FakeCamera(), locator=FakeLocator())
            seed_demo(context.db, data_dir / "photos")
            context.db.close()
            baseline = [_measure("baseline", data_dir, env) for _ in range(runs)]
            app = [_measure("app", data_dir, env) for _ in range(runs)]
    finally:
        if xvfb is not None:
            xvfb.terminate()
    base_s = statistics.median(r["seconds"] for r in baseline)
    app_s = statistics.median(r["start_s"] for r in app)
    form_s = statistics.median(r["form_open_s"] for r in app)
    fps = statistics.median(r["scroll_fps"] for r in app)
    peak = max(r["peak_mb"] for r in app)
    print(f"bare Kivy window (baseline): {base_s:.2f} s, {baseline[0]['peak_mb']:.0f} MB peak")
    assert all(r["screen"] == "households" and r["form_screen"] == "form" for r in app), app
    print(f"app to a {app[0]['rows']:,}-household list: {app_s:.2f} s, {peak:.0f} MB peak")
    for phase in ("window_s", "signed_in_s"):
        print(f"  {phase}: {statistics.median(r[phase] for r in app):.2f} s")
    print(f"household form opened in {form_s:.2f} s; list scrolled at {fps:.0f} frames/s")
    print(
        f"RESULT runs={runs} households={app[0]['rows']} start_s={app_s:.2f} "
        f"form_open_s={form_s:.2f} scroll_fps={fps:.0f} "
        f"baseline_window_s={base_s:.2f} app_minus_baseline_s={app_s - base_s:.2f} "
        f"peak_mb={peak:.0f} target_s={TARGET_SECONDS} "
        f"meets_target={str(app_s <= TARGET_SECONDS).lower()}"
    )


if __name__ == "__main__":
    main()
