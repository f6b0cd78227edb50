"""The keys that sign the audit chain. None of them is stored in the database.

AUDIT_KEY (hex, or AUDIT_KEY_FILE) signs new events; without it a key is derived from
SECRET_KEY, as `core.crypto.load_key` does for every key. AUDIT_KEY_PREVIOUS (hex keys
separated by commas, or AUDIT_KEY_PREVIOUS_FILE with one key a line) holds the keys that
signed older parts of the chain, so the chain verifies after a rotation. Each event stores
the id of the key that signed it, never the key.
"""

import hmac
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from biaoshuai.core.crypto import SM3, load_key, load_previous_keys, sm3

KEY_NAME = "AUDIT_KEY"
PREVIOUS_NAME = "AUDIT_KEY_PREVIOUS"
NEW_NAME = "AUDIT_KEY_NEW"
KEY_SIZE = 32


def signing_key() -> bytes:
    """The key new events and checkpoints are signed with."""
    return load_key(KEY_NAME, size=KEY_SIZE)


def key_id(key: bytes) -> str:
    """A short public name for a key: the first 8 hex digits of its SM3 digest."""
    return sm3(key)[:8]


def keyring() -> dict[str, bytes]:
    """{key id: key} of every key the chain may have been signed with.

    The key derived from SECRET_KEY is always included, so a chain begun without AUDIT_KEY
    still verifies once AUDIT_KEY is set and the derived key has been rotated out.
    """
    keys = [signing_key(), *previous_keys(), _derived_key()]
    return {key_id(key): key for key in keys}


def previous_keys() -> list[bytes]:
    return load_previous_keys(PREVIOUS_NAME, size=KEY_SIZE)


def new_key(path: str | None = None) -> bytes:
    """The key a rotation moves to: from `path`, else AUDIT_KEY_NEW or AUDIT_KEY_NEW_FILE."""
    if path:
        try:
            value = Path(path).read_text().splitlines()[0].strip()
        except (OSError, IndexError) as exc:
            raise ImproperlyConfigured(f"cannot read a key from {path}") from exc
        return _parse(path, value)
    if not (os.environ.get(NEW_NAME, "").strip() or os.environ.get(f"{NEW_NAME}_FILE", "").strip()):
        # load_key would derive a key here; a rotation must move to a key the operator holds.
        raise ImproperlyConfigured(f"set {NEW_NAME} (hex) or {NEW_NAME}_FILE to the new key")
    return load_key(NEW_NAME, size=KEY_SIZE)


def _parse(name, value):
    try:
        key = bytes.fromhex(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be hexadecimal") from exc
    if len(key) != KEY_SIZE:
        raise ImproperlyConfigured(f"{name}: a key is {KEY_SIZE} bytes ({KEY_SIZE * 2} hex digits)")
    return key


def _derived_key():
    # The same derivation as load_key uses when AUDIT_KEY is not set.
    return hmac.new(settings.SECRET_KEY.encode(), KEY_NAME.encode(), SM3).digest()[:KEY_SIZE]
