"""python-for-android hook (``p4a.hook`` in mobile/buildozer.spec): puts the FileProvider's
``<provider>`` inside ``<application>`` of the rendered manifest, before gradle builds it.

Released buildozer and python-for-android can add text inside ``<manifest>`` or attributes to
``<application>``, not a child of ``<application>`` (kivy/python-for-android#2965). The hook runs
in python-for-android's own interpreter, in the distribution's directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PROVIDER = Path(__file__).with_name("provider.xml")
MANIFEST = Path("src/main/AndroidManifest.xml")
_CLOSING = "</application>"


class ManifestNotUnderstood(Exception):
    """The rendered manifest has no single ``</application>`` to insert before."""


def with_provider(manifest: str, provider: str) -> str:
    """Return ``manifest`` with ``provider`` as the last child of ``<application>``; a manifest
    that already declares this provider is returned unchanged (gradle may be re-run)."""
    if 'android:name="androidx.core.content.FileProvider"' in manifest:
        return manifest
    if manifest.count(_CLOSING) != 1:
        raise ManifestNotUnderstood(f"expected one {_CLOSING} in the manifest")
    return manifest.replace(_CLOSING, f"{provider.strip()}\n    {_CLOSING}")


def after_apk_build(toolchain: Any) -> None:
    """python-for-android calls this once the manifest is rendered, before gradle."""
    MANIFEST.write_text(
        with_provider(MANIFEST.read_text("utf-8"), PROVIDER.read_text("utf-8")), "utf-8"
    )
