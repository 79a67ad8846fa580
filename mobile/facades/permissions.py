"""Android's runtime permissions (Android 6+): asked for just before the device is used, so the
person sees why; python-for-android's ``android.permissions`` shows the system's dialog."""

from __future__ import annotations

from collections.abc import Callable, Sequence

CAMERA = "android.permission.CAMERA"
FINE_LOCATION = "android.permission.ACCESS_FINE_LOCATION"
COARSE_LOCATION = "android.permission.ACCESS_COARSE_LOCATION"


def ask(permissions: Sequence[str], needed: str, on_answer: Callable[[bool], None]) -> None:
    """Ask for ``permissions`` unless already granted; call ``on_answer`` with whether
    ``needed`` (one of them) is granted. Android asks for the whole group at once; the person
    may grant only part of it (approximate location instead of precise)."""
    from android.permissions import check_permission, request_permissions

    if check_permission(needed):
        on_answer(True)
        return

    def answered(asked: list[str], grants: list[bool]) -> None:
        on_answer(dict(zip(asked, grants, strict=False)).get(needed, False))

    request_permissions(list(permissions), answered)
