"""``rasoat tablet``: run the tablet app on this computer (Kivy)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def tablet_command(
    data_dir: Annotated[
        Path | None, typer.Option(help="Where the tablet keeps its database")
    ] = None,
    demo: Annotated[
        bool, typer.Option(help="Create the demo enumerator 'demo' (PIN 123456)")
    ] = False,
    fake_devices: Annotated[bool, typer.Option(help="Fake camera and GPS")] = False,
    size: Annotated[str, typer.Option(help="Window size, WxH")] = "1280x800",
) -> None:
    """Run the tablet app (the same as ``python -m mobile``)."""
    from mobile.__main__ import default_data_dir, run

    run(data_dir or default_data_dir(), demo=demo, fake_devices=fake_devices, size=size)
