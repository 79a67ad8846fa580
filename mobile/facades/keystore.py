"""The Android Keystore: an AES key that is made inside the tablet's secure hardware (or the
Keystore's software fallback on the rare tablet without it) and never leaves it. The users' wrapped
data keys are sealed once more under it, so a copy of the app's files is useless on any other
machine: a guess at the password can only be tried on the tablet itself.

Elsewhere (desktop, tests) there is no such key and ``default_keystore`` returns None.
"""

from __future__ import annotations

import os
from typing import Any, Protocol

ALIAS = "rasoat-data-keys"
PROVIDER = "AndroidKeyStore"
_TAG_BITS = 128


class KeystoreRefused(Exception):
    """The Keystore cannot open this blob: its key is gone (app data cleared, another device)
    or the blob was altered."""


class Keystore(Protocol):
    """Seals and opens short secrets under a key the app cannot read."""

    name: str

    def seal(self, data: bytes) -> bytes: ...

    def unseal(self, blob: bytes) -> bytes: ...


def on_android() -> bool:
    """Return whether this is python-for-android's interpreter (its bootstrap sets this
    variable, which is also what Kivy's ``platform`` reads)."""
    return "ANDROID_ARGUMENT" in os.environ


def default_keystore() -> Keystore | None:
    """Return the Android Keystore where it works, else None."""
    if not on_android():
        return None
    from jnius import JavaException

    keystore = AndroidKeystore()
    try:
        keystore.key()
    except JavaException:
        return None
    return keystore


def _as_bytes(java_bytes: Any) -> bytes:
    """Return a Java ``byte[]`` as Python bytes (pyjnius may hand back signed integers)."""
    return bytes(value & 0xFF for value in java_bytes)


class AndroidKeystore:
    """AES-256-GCM under the Keystore key ``alias`` (made on first use; no lock-screen
    authentication, so the app can still open a user's key after a reboot with the screen lock
    off). A blob is the IV's length, the IV the Keystore chose, and the ciphertext."""

    def __init__(self, alias: str = ALIAS) -> None:
        self.alias = alias
        self.name = f"{PROVIDER}:{alias}"

    def key(self) -> Any:
        """Return the Keystore key, making it the first time."""
        from jnius import autoclass

        store = autoclass("java.security.KeyStore").getInstance(PROVIDER)
        store.load(None)
        if not store.containsAlias(self.alias):
            properties = autoclass("android.security.keystore.KeyProperties")
            builder = autoclass("android.security.keystore.KeyGenParameterSpec$Builder")(
                self.alias, properties.PURPOSE_ENCRYPT | properties.PURPOSE_DECRYPT
            )
            builder.setBlockModes([properties.BLOCK_MODE_GCM])
            builder.setEncryptionPaddings([properties.ENCRYPTION_PADDING_NONE])
            builder.setKeySize(256)
            generator = autoclass("javax.crypto.KeyGenerator").getInstance(
                properties.KEY_ALGORITHM_AES, PROVIDER
            )
            generator.init(builder.build())
            generator.generateKey()
        return store.getKey(self.alias, None)

    def seal(self, data: bytes) -> bytes:
        from jnius import autoclass

        cipher_class = autoclass("javax.crypto.Cipher")
        cipher = cipher_class.getInstance("AES/GCM/NoPadding")
        # The Keystore picks the IV itself: it refuses one given by the caller for encryption.
        cipher.init(cipher_class.ENCRYPT_MODE, self.key())
        iv = _as_bytes(cipher.getIV())
        return bytes([len(iv)]) + iv + _as_bytes(cipher.doFinal(data))

    def unseal(self, blob: bytes) -> bytes:
        from jnius import JavaException, autoclass

        iv = blob[1 : 1 + blob[0]]
        cipher_class = autoclass("javax.crypto.Cipher")
        try:
            cipher = cipher_class.getInstance("AES/GCM/NoPadding")
            spec = autoclass("javax.crypto.spec.GCMParameterSpec")(_TAG_BITS, iv)
            cipher.init(cipher_class.DECRYPT_MODE, self.key(), spec)
            return _as_bytes(cipher.doFinal(blob[1 + blob[0] :]))
        except JavaException as error:
            raise KeystoreRefused(str(error)) from None
