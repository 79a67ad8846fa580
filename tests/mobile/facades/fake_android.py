"""A recorded fake of the device side of pyjnius (``jnius``) and python-for-android's
``android`` package: the Java classes the facades use, each call written to ``Device.calls``,
so a test can read back the intent, URI, flags, permission requests and location updates.

Only what the facades call is here; an unexpected class name fails the test (KeyError), which is
how a facade reaching for a new platform API shows up.
"""

from __future__ import annotations

import os
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PACKAGE = "vn.rasoat.rasoat"
RESULT_OK = -1
RESULT_CANCELED = 0
GRANT_READ = 0x1
GRANT_WRITE = 0x2


class JavaException(Exception):  # noqa: N818  # pyjnius's name
    """pyjnius's wrapper of a Java exception."""


@dataclass
class Device:
    """The state of the fake tablet and everything the facades asked of it."""

    cache_dir: Path
    granted: set[str] = field(default_factory=set)
    # What the person answers in the system's permission dialog, per permission.
    answers: dict[str, bool] = field(default_factory=dict)
    enabled_providers: set[str] = field(default_factory=lambda: {"gps", "network"})
    has_camera_app: bool = True
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    started: list[tuple[Intent, int]] = field(default_factory=list)
    result_listeners: list[Callable[[int, int, Any], None]] = field(default_factory=list)
    location_listeners: list[Any] = field(default_factory=list)
    keystore: dict[str, bytes] = field(default_factory=dict)

    def named(self, name: str) -> list[tuple[Any, ...]]:
        return [call for call in self.calls if call[0] == name]

    def finish_activity(self, request_code: int, result_code: int) -> None:
        """Android returning to the app: every bound on_activity_result is called."""
        for listener in list(self.result_listeners):
            listener(request_code, result_code, None)


class JavaFile:
    def __init__(self, parent: JavaFile | str, name: str | None = None) -> None:
        base: Path = parent.path if isinstance(parent, JavaFile) else Path(parent)
        self.path: Path = base / name if name else base

    def mkdirs(self) -> bool:
        self.path.mkdir(parents=True, exist_ok=True)
        return True

    def getAbsolutePath(self) -> str:  # noqa: N802  # Java's name
        return str(self.path)


@dataclass(frozen=True)
class Uri:
    text: str
    file: Path

    def toString(self) -> str:  # noqa: N802  # Java's name
        return self.text


class Intent:
    FLAG_GRANT_READ_URI_PERMISSION = GRANT_READ
    FLAG_GRANT_WRITE_URI_PERMISSION = GRANT_WRITE

    def __init__(self, action: str) -> None:
        self.action = action
        self.extras: dict[str, Any] = {}
        self.flags = 0

    def putExtra(self, key: str, value: Any) -> Intent:  # noqa: N802  # Java's name
        self.extras[key] = value
        return self

    def addFlags(self, flags: int) -> Intent:  # noqa: N802  # Java's name
        self.flags |= flags
        return self


class Location:
    def __init__(self, lat: float, lon: float, accuracy: float | None, altitude: float | None):
        self.lat, self.lon, self.accuracy, self.altitude = lat, lon, accuracy, altitude

    def getLatitude(self) -> float:  # noqa: N802  # Java's name
        return self.lat

    def getLongitude(self) -> float:  # noqa: N802  # Java's name
        return self.lon

    def hasAccuracy(self) -> bool:  # noqa: N802  # Java's name
        return self.accuracy is not None

    def getAccuracy(self) -> float:  # noqa: N802  # Java's name
        return self.accuracy or 0.0

    def hasAltitude(self) -> bool:  # noqa: N802  # Java's name
        return self.altitude is not None

    def getAltitude(self) -> float:  # noqa: N802  # Java's name
        return self.altitude or 0.0


def install(device: Device) -> dict[str, types.ModuleType]:
    """Return the fake modules (``jnius``, ``android`` and its submodules) bound to ``device``,
    ready for ``sys.modules``."""
    record = device.calls.append

    class Activity:
        RESULT_OK = RESULT_OK
        RESULT_CANCELED = RESULT_CANCELED

    class PythonActivityInstance:
        def getCacheDir(self) -> JavaFile:  # noqa: N802  # Java's name
            return JavaFile(str(device.cache_dir))

        def getPackageName(self) -> str:  # noqa: N802  # Java's name
            return PACKAGE

        def startActivityForResult(self, intent: Intent, code: int) -> None:  # noqa: N802
            record(("startActivityForResult", intent.action, code))
            if not device.has_camera_app:
                raise JavaException("android.content.ActivityNotFoundException")
            device.started.append((intent, code))

        def getSystemService(self, name: str) -> LocationManagerInstance:  # noqa: N802
            record(("getSystemService", name))
            return LocationManagerInstance()

    class PythonActivity:
        mActivity = PythonActivityInstance()  # noqa: N815  # Java's name

    class MediaStore:
        ACTION_IMAGE_CAPTURE = "android.media.action.IMAGE_CAPTURE"
        EXTRA_OUTPUT = "output"

    class FileProvider:
        @staticmethod
        def getUriForFile(context: Any, authority: str, file: JavaFile) -> Uri:  # noqa: N802
            record(("getUriForFile", authority, str(file.path)))
            relative = file.path.relative_to(device.cache_dir)
            return Uri(f"content://{authority}/{relative.as_posix()}", file.path)

    class Context:
        LOCATION_SERVICE = "location"

    class LocationManager:
        GPS_PROVIDER = "gps"
        NETWORK_PROVIDER = "network"

    class LocationManagerInstance:
        def isProviderEnabled(self, name: str) -> bool:  # noqa: N802  # Java's name
            return name in device.enabled_providers

        def requestLocationUpdates(  # noqa: N802  # Java's name
            self, provider: str, min_ms: int, min_m: float, listener: Any, looper: Any
        ) -> None:
            record(("requestLocationUpdates", provider, min_ms, min_m, looper))
            if listener not in device.location_listeners:
                device.location_listeners.append(listener)

        def removeUpdates(self, listener: Any) -> None:  # noqa: N802  # Java's name
            record(("removeUpdates",))
            device.location_listeners.remove(listener)

    class Looper:
        @staticmethod
        def getMainLooper() -> str:  # noqa: N802  # Java's name
            return "main-looper"

    # The Keystore: keys by alias, AES-GCM done for real so sealed blobs round-trip.
    class KeyProperties:
        PURPOSE_ENCRYPT = 1
        PURPOSE_DECRYPT = 2
        BLOCK_MODE_GCM = "GCM"
        ENCRYPTION_PADDING_NONE = "NoPadding"
        KEY_ALGORITHM_AES = "AES"

    class KeyGenParameterSpecBuilder:
        def __init__(self, alias: str, purposes: int) -> None:
            record(("KeyGenParameterSpec", alias, purposes))
            self.alias = alias

        def setBlockModes(self, modes: list[str]) -> None:  # noqa: N802  # Java's name
            record(("setBlockModes", modes))

        def setEncryptionPaddings(self, paddings: list[str]) -> None:  # noqa: N802
            record(("setEncryptionPaddings", paddings))

        def setKeySize(self, bits: int) -> None:  # noqa: N802  # Java's name
            record(("setKeySize", bits))

        def build(self) -> str:
            return self.alias

    class KeyGenerator:
        def __init__(self) -> None:
            self.alias = ""

        @staticmethod
        def getInstance(algorithm: str, provider: str) -> KeyGenerator:  # noqa: N802
            record(("KeyGenerator.getInstance", algorithm, provider))
            return KeyGenerator()

        def init(self, alias: str) -> None:
            self.alias = alias

        def generateKey(self) -> None:  # noqa: N802  # Java's name
            record(("generateKey", self.alias))
            device.keystore[self.alias] = AESGCM.generate_key(bit_length=256)

    class KeyStore:
        @staticmethod
        def getInstance(provider: str) -> KeyStore:  # noqa: N802  # Java's name
            record(("KeyStore.getInstance", provider))
            return KeyStore()

        def load(self, parameter: None) -> None:
            pass

        def containsAlias(self, alias: str) -> bool:  # noqa: N802  # Java's name
            return alias in device.keystore

        def getKey(self, alias: str, password: None) -> str:  # noqa: N802  # Java's name
            return alias

    class Cipher:
        ENCRYPT_MODE = 1
        DECRYPT_MODE = 2

        @staticmethod
        def getInstance(transformation: str) -> Cipher:  # noqa: N802  # Java's name
            record(("Cipher.getInstance", transformation))
            return Cipher()

        def init(self, mode: int, alias: str, spec: tuple[int, bytes] | None = None) -> None:
            if alias not in device.keystore:
                raise JavaException("java.security.InvalidKeyException")
            self.mode, self.key = mode, device.keystore[alias]
            self.iv = spec[1] if spec else os.urandom(12)

        def getIV(self) -> list[int]:  # noqa: N802  # Java's name
            # pyjnius hands a byte[] back as signed integers.
            return [b - 256 if b > 127 else b for b in self.iv]

        def doFinal(self, data: bytes) -> bytes:  # noqa: N802  # Java's name
            if self.mode == Cipher.ENCRYPT_MODE:
                return AESGCM(self.key).encrypt(self.iv, data, None)
            try:
                return AESGCM(self.key).decrypt(self.iv, data, None)
            except InvalidTag:
                raise JavaException("javax.crypto.AEADBadTagException") from None

    def gcm_spec(bits: int, iv: bytes) -> tuple[int, bytes]:
        return (bits, bytes(iv))

    classes: dict[str, Any] = {
        "org.kivy.android.PythonActivity": PythonActivity,
        "android.app.Activity": Activity,
        "android.content.Intent": Intent,
        "android.provider.MediaStore": MediaStore,
        "androidx.core.content.FileProvider": FileProvider,
        "java.io.File": JavaFile,
        "android.content.Context": Context,
        "android.location.LocationManager": LocationManager,
        "android.os.Looper": Looper,
        "android.security.keystore.KeyProperties": KeyProperties,
        "android.security.keystore.KeyGenParameterSpec$Builder": KeyGenParameterSpecBuilder,
        "javax.crypto.KeyGenerator": KeyGenerator,
        "java.security.KeyStore": KeyStore,
        "javax.crypto.Cipher": Cipher,
        "javax.crypto.spec.GCMParameterSpec": gcm_spec,
    }

    def autoclass(name: str) -> Any:
        return classes[name]

    def cast(name: str, value: Any) -> Any:
        record(("cast", name, value))
        return value

    class PythonJavaClass:
        def __init__(self) -> None:
            pass

    def java_method(signature: str, name: str | None = None) -> Callable[[Any], Any]:
        def mark(method: Any) -> Any:
            method.java = (name or method.__name__, signature)
            return method

        return mark

    jnius = types.ModuleType("jnius")
    jnius.autoclass = autoclass  # type: ignore[attr-defined]
    jnius.cast = cast  # type: ignore[attr-defined]
    jnius.JavaException = JavaException  # type: ignore[attr-defined]
    jnius.PythonJavaClass = PythonJavaClass  # type: ignore[attr-defined]
    jnius.java_method = java_method  # type: ignore[attr-defined]

    def check_permission(permission: str) -> bool:
        return permission in device.granted

    def request_permissions(
        permissions: list[str], callback: Callable[[list[str], list[bool]], None]
    ) -> None:
        record(("request_permissions", list(permissions)))
        grants = [device.answers.get(permission, False) for permission in permissions]
        device.granted.update(p for p, g in zip(permissions, grants, strict=True) if g)
        callback(permissions, grants)

    def bind(on_activity_result: Callable[[int, int, Any], None]) -> None:
        record(("activity.bind",))
        device.result_listeners.append(on_activity_result)

    def unbind(on_activity_result: Callable[[int, int, Any], None]) -> None:
        record(("activity.unbind",))
        device.result_listeners.remove(on_activity_result)

    android = types.ModuleType("android")
    activity = types.ModuleType("android.activity")
    activity.bind = bind  # type: ignore[attr-defined]
    activity.unbind = unbind  # type: ignore[attr-defined]
    permissions = types.ModuleType("android.permissions")
    permissions.check_permission = check_permission  # type: ignore[attr-defined]
    permissions.request_permissions = request_permissions  # type: ignore[attr-defined]
    storage = types.ModuleType("android.storage")
    storage.app_storage_path = lambda: str(device.cache_dir.parent / "files")  # type: ignore[attr-defined]
    android.activity = activity  # type: ignore[attr-defined]
    android.permissions = permissions  # type: ignore[attr-defined]
    android.storage = storage  # type: ignore[attr-defined]
    return {
        "jnius": jnius,
        "android": android,
        "android.activity": activity,
        "android.permissions": permissions,
        "android.storage": storage,
    }
