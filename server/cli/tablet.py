"""``rasoat tablet``: run the tablet app on this computer (Kivy)."""

from __future__ import annotations

from pathlib import Path

import typer


def tablet_command(
    data_dir: Path | None = typer.Option(None, help="Where the tablet keeps its database"),
    demo: bool = typer.Option(False, help="Create the demo enumerator 'demo' (PIN 123456)"),
    fake_devices: bool = typer.Option(False, help="Fake camera and GPS"),
    size: str = typer.Option("1280x800", help="Window size, WxH"),
) -> None:
    """Run the tablet app (the same as ``python -m mobile``)."""
    from mobile.__main__ import default_data_dir, run

    run(data_dir or default_data_dir(), demo=demo, fake_devices=fake_devices, size=size)
