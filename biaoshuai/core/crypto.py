"""Commercial cryptography (GB/T 39786): SM3 digests and keys kept outside the database.

Keys come from the environment (`<NAME>` as hex) or from a file (`<NAME>_FILE`, the key as
hex on its first line), never from the database. Where neither is set (a laptop, the demo,
the tests) a key is derived from SECRET_KEY, which is not in the database either;
production sets its own keys (deploy/production.env.example).
"""

import hashlib
import hmac
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SM3 = "sm3"


def sm3(data: bytes) -> str:
    return hashlib.new(SM3, data).hexdigest()


def hmac_sm3(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, SM3).hexdigest()


def load_key(name: str, *, size: int = 32) -> bytes:
    """The key called `name` (e.g. "AUDIT_KEY"), `size` bytes long."""
    value = os.environ.get(name, "").strip()
    path = os.environ.get(f"{name}_FILE", "").strip()
    if not value and path:
        try:
            value = Path(path).read_text().splitlines()[0].strip()
        except (OSError, IndexError) as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read a key from {path}") from exc
    if not value:
        derived = hmac.new(settings.SECRET_KEY.encode(), name.encode(), SM3).digest()
        return (derived * (size // len(derived) + 1))[:size]
    try:
        key = bytes.fromhex(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be hexadecimal") from exc
    if len(key) != size:
        raise ImproperlyConfigured(f"{name} must be {size} bytes ({size * 2} hex digits)")
    return key


def load_previous_keys(name: str, *, size: int = 32) -> list[bytes]:
    """Keys used before a rotation: `name` (hex keys separated by commas or spaces), or
    NAME_FILE with one key a line (`#` starts a comment line). Empty when neither is set."""
    value = os.environ.get(name, "").strip()
    path = os.environ.get(f"{name}_FILE", "").strip()
    if value:
        items = value.replace(",", " ").split()
    elif path:
        try:
            items = [line.strip() for line in Path(path).read_text().splitlines()]
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}") from exc
    else:
        items = []
    keys = []
    for item in items:
        if not item or item.startswith("#"):
            continue
        try:
            key = bytes.fromhex(item)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} must be hexadecimal") from exc
        if len(key) != size:
            raise ImproperlyConfigured(f"{name}: a key is {size} bytes ({size * 2} hex digits)")
        keys.append(key)
    return keys
