"""Photos: taken by the device, reduced and hashed at capture, never kept full size.

Reducing on the tablet keeps sync small on weak signal (a 12-megapixel photo is ~4 MB, the
reduced one under 200 kB). The reduction is the sync's own (``mobile.sync.photos``): upright,
longest side 1,600 px, the camera's GPS block kept as the house's evidence and every other
EXIF field dropped. The SHA-256 of the reduced bytes names the photo in the answers and on the
server.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PIL import Image, ImageDraw

from mobile.facades import permissions
from mobile.sync.photos import reduce_picture

# What the person reads after "Không chụp được ảnh: " when they refuse the camera or it fails.
CAMERA_REFUSED = (
    "bạn chưa cho phép ứng dụng dùng máy ảnh, nên hộ này chưa có ảnh. Bấm chụp lại để được hỏi "
    "lần nữa, hoặc bật quyền Máy ảnh cho Rà Soát trong Cài đặt của máy."
)
NO_CAMERA_APP = "máy tính bảng này không có ứng dụng chụp ảnh."
NOT_A_PICTURE = "ảnh chụp không đọc được, hãy chụp lại."
# The request code our activity result carries; other results (none today) are not ours.
REQUEST_CODE = 0x5A50
# The FileProvider's folder in the app's cache (mobile/android/file_paths.xml) and its authority
# (mobile/android/provider.xml: "${applicationId}.fileprovider").
CAMERA_FOLDER = "camera"
AUTHORITY_SUFFIX = ".fileprovider"


@dataclass(frozen=True)
class Photo:
    """A reduced JPEG and its SHA-256 (hex)."""

    jpeg: bytes
    sha256: str
    width: int
    height: int


PhotoDone = Callable[[Photo | None, str | None], None]


class Camera(Protocol):
    """Take one photo; call ``on_done(photo, None)`` or ``on_done(None, why)`` (``why`` is
    ``"cancelled"`` when the person backed out, else a sentence for them)."""

    def take(self, on_done: PhotoDone) -> None: ...


def reduce_and_hash(raw: bytes) -> Photo:
    """Return the reduced photo with its SHA-256. Raises ``ValueError`` for bytes that are not
    an image."""
    try:
        jpeg, width, height = reduce_picture(raw)
    except (OSError, SyntaxError) as error:
        raise ValueError(f"not an image: {error}") from None
    return Photo(jpeg, hashlib.sha256(jpeg).hexdigest(), width, height)


def _from_file(path: str | None, on_done: PhotoDone) -> None:
    if not path:
        on_done(None, "cancelled")
        return
    try:
        on_done(reduce_and_hash(Path(path).read_bytes()), None)
    except (OSError, ValueError):
        on_done(None, NOT_A_PICTURE)


class FakeCamera:
    """Makes a small distinct image per shot, for tests and demos; ``fail`` makes it refuse."""

    def __init__(self, fail: str | None = None) -> None:
        self.fail = fail
        self.shots = 0

    def take(self, on_done: PhotoDone) -> None:
        if self.fail:
            on_done(None, self.fail)
            return
        self.shots += 1
        image = Image.new("RGB", (2400, 1800), (40 + 30 * self.shots % 200, 120, 90))
        ImageDraw.Draw(image).rectangle((200, 200, 900, 700), fill=(230, 230, 210))
        raw = io.BytesIO()
        image.save(raw, "PNG")
        on_done(reduce_and_hash(raw.getvalue()), None)


class DesktopCamera:
    """On a desktop, a photo is a picture file the user picks; ``choose`` opens the app's file
    chooser and calls back with the path (None when cancelled)."""

    def __init__(self, choose: Callable[[Callable[[str | None], None]], None]) -> None:
        self.choose = choose

    def take(self, on_done: PhotoDone) -> None:
        self.choose(lambda path: _from_file(path, on_done))


class AndroidCamera:
    """The system camera app (``MediaStore.ACTION_IMAGE_CAPTURE``), after the CAMERA permission.

    The camera app writes the full-size picture to a ``content://`` URI of our FileProvider (a
    ``file://`` URI raises FileUriExposedException on Android 7+), granted to it for this one
    intent; the picture is reduced, then deleted from the cache whatever happened.
    """

    def take(self, on_done: PhotoDone) -> None:
        def answered(granted: bool) -> None:
            if granted:
                self._capture(on_done)
            else:
                on_done(None, CAMERA_REFUSED)

        permissions.ask([permissions.CAMERA], permissions.CAMERA, answered)

    def _capture(self, on_done: PhotoDone) -> None:
        from android import activity
        from jnius import JavaException, autoclass, cast

        context = autoclass("org.kivy.android.PythonActivity").mActivity
        intent_class = autoclass("android.content.Intent")
        media_store = autoclass("android.provider.MediaStore")
        java_file = autoclass("java.io.File")
        folder = java_file(context.getCacheDir(), CAMERA_FOLDER)
        folder.mkdirs()
        target = java_file(folder, f"{uuid.uuid4().hex}.jpg")
        uri = autoclass("androidx.core.content.FileProvider").getUriForFile(
            context, context.getPackageName() + AUTHORITY_SUFFIX, target
        )
        intent = intent_class(media_store.ACTION_IMAGE_CAPTURE)
        intent.putExtra(media_store.EXTRA_OUTPUT, cast("android.os.Parcelable", uri))
        intent.addFlags(
            intent_class.FLAG_GRANT_WRITE_URI_PERMISSION
            | intent_class.FLAG_GRANT_READ_URI_PERMISSION
        )
        result_ok = autoclass("android.app.Activity").RESULT_OK
        picture = Path(target.getAbsolutePath())

        def on_result(request_code: int, result_code: int, _data: Any) -> None:
            if request_code != REQUEST_CODE:
                return
            activity.unbind(on_activity_result=on_result)
            try:
                _from_file(str(picture) if result_code == result_ok else None, on_done)
            finally:
                picture.unlink(missing_ok=True)

        activity.bind(on_activity_result=on_result)
        try:
            context.startActivityForResult(intent, REQUEST_CODE)
        except JavaException:
            activity.unbind(on_activity_result=on_result)
            on_done(None, NO_CAMERA_APP)
