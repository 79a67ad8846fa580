"""Start the tablet app: ``python -m mobile [--data-dir DIR] [--demo] [--fake-devices]``."""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def default_data_dir() -> Path:
    """Return where the app keeps its database and photos on this machine."""
    return Path(os.environ.get("RASOAT_TABLET_DIR", Path.home() / ".rasoat-tablet"))


def main(argv: list[str] | None = None) -> None:
    """Parse the options, prepare Kivy's environment and run the app."""
    parser = argparse.ArgumentParser(prog="python -m mobile", description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    parser.add_argument(
        "--demo",
        action="store_true",
        help="create the demo enumerator 'demo' (PIN 123456) with 2,180 households",
    )
    parser.add_argument(
        "--fake-devices",
        action="store_true",
        help="fake camera and GPS instead of the file chooser and typed position",
    )
    parser.add_argument("--size", default="1280x800", help="window size on a desktop, WxH")
    options = parser.parse_args(argv)
    run(options.data_dir, demo=options.demo, fake_devices=options.fake_devices, size=options.size)


def run(
    data_dir: Path, demo: bool = False, fake_devices: bool = False, size: str = "1280x800"
) -> None:
    """Run the app on ``data_dir`` until its window closes."""
    from mobile.app.env import prepare

    prepare()
    width, height = (int(part) for part in size.lower().split("x"))
    from kivy.config import Config

    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("input", "mouse", "mouse,disable_multitouch")
    from kivy.utils import platform

    from mobile.app.chooser import choose_picture
    from mobile.app.main import RasoatApp
    from mobile.context import AppContext
    from mobile.demo import seed_demo
    from mobile.facades.camera import AndroidCamera, Camera, DesktopCamera, FakeCamera
    from mobile.facades.location import AndroidLocator, DesktopLocator, FakeLocator, Locator

    camera: Camera
    locator: Locator
    if fake_devices:
        camera, locator = FakeCamera(), FakeLocator()
    elif platform == "android":
        camera, locator = AndroidCamera(), AndroidLocator()
    else:
        camera, locator = DesktopCamera(choose_picture), DesktopLocator()
    context = AppContext(data_dir, camera=camera, locator=locator)
    if demo:
        seed_demo(context.db, data_dir / "photos")
    RasoatApp(context).run()


if __name__ == "__main__":
    main()
