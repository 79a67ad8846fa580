"""The Android Keystore facade: an AES-GCM key made once inside the Keystore, blobs that open
only with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from mobile.facades.keystore import (
    ALIAS,
    AndroidKeystore,
    KeystoreRefused,
    default_keystore,
)
from mobile.store import Accounts, Profile, SignInRefused, open_database
from tests.mobile.conftest import TEST_COST
from tests.mobile.facades.fake_android import Device


def test_the_key_is_made_once_for_gcm_without_padding(device: Device) -> None:
    keystore = AndroidKeystore()
    blobs = [keystore.seal(b"wrapped data key") for _ in range(2)]
    assert device.named("generateKey") == [("generateKey", ALIAS)]
    assert ("setBlockModes", ["GCM"]) in device.calls
    assert ("setEncryptionPaddings", ["NoPadding"]) in device.calls
    assert ("setKeySize", 256) in device.calls
    assert ("KeyGenerator.getInstance", "AES", "AndroidKeyStore") in device.calls
    assert blobs[0] != blobs[1]  # a fresh IV each time, chosen by the Keystore
    assert all(b"wrapped data key" not in blob for blob in blobs)
    assert [keystore.unseal(blob) for blob in blobs] == [b"wrapped data key"] * 2


def test_a_blob_does_not_open_once_the_key_is_gone(device: Device) -> None:
    blob = AndroidKeystore().seal(b"wrapped data key")
    device.keystore.clear()  # app data cleared, or the file copied to another tablet
    with pytest.raises(KeystoreRefused):
        AndroidKeystore().unseal(blob)


def test_an_altered_blob_is_refused(device: Device) -> None:
    blob = bytearray(AndroidKeystore().seal(b"wrapped data key"))
    blob[-1] ^= 1
    with pytest.raises(KeystoreRefused):
        AndroidKeystore().unseal(bytes(blob))


def test_the_keystore_is_used_on_android_only(
    device: Device, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANDROID_ARGUMENT", raising=False)
    assert default_keystore() is None
    monkeypatch.setenv("ANDROID_ARGUMENT", "/data/data/vn.rasoat.rasoat/files/app")
    found = default_keystore()
    assert isinstance(found, AndroidKeystore)
    assert found.name == "AndroidKeyStore:rasoat-data-keys"


def test_a_key_sealed_by_the_keystore_does_not_open_anywhere_else(
    device: Device, tmp_path: Path
) -> None:
    path = tmp_path / "rasoat.sqlite3"
    on_tablet = Accounts(open_database(path), kdf_cost=TEST_COST, keystore=AndroidKeystore())
    account = on_tablet.remember(Profile("huong", "Nguyễn Thị Hường", "enumerator", 7), "2468", {})
    row = on_tablet.db.execute("SELECT keystore, wrapped_key FROM users").fetchone()
    assert row["keystore"] == "AndroidKeyStore:rasoat-data-keys"
    assert on_tablet.sign_in_offline("huong", "2468").data_key == account.data_key
    # The same files on a computer: the right password does not open the key.
    elsewhere = Accounts(open_database(path), kdf_cost=TEST_COST, keystore=None)
    with pytest.raises(SignInRefused) as refused:
        elsewhere.sign_in_offline("huong", "2468")
    assert refused.value.reason == "locked"
