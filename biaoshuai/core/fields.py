"""Personal data stored encrypted with SM4 (GB/T 39786), with blind indexes to match it.

`EncryptedCharField` / `EncryptedEmailField` hold the plain value in Python (forms,
validators, templates see it) and store `sm4gcm$<key id>$<base64 of nonce, ciphertext,
tag>` in a text column: SM4 in GCM mode (OpenSSL's, through the `cryptography` package),
authenticated with the model and field name so a value cannot be moved to another column.
An empty value is stored empty, so "not given" can still be filtered on.

The key is PII_KEY (16 bytes, hex, or PII_KEY_FILE; `core.crypto.load_key`), never in the
database. Keys used before a rotation stay readable through PII_KEY_PREVIOUS (hex keys
separated by commas, or PII_KEY_PREVIOUS_FILE, one a line); `manage.py pii_reencrypt`
then rewrites every value under the current key. The key id in each value names the key.

The ciphertext is random, so the column cannot be searched: a `BlindIndexField` next to it
stores HMAC-SM3 (key PII_INDEX_KEY, 32 bytes) of the normalised value, for exact matches
(`Person.objects.filter(phone_index=blind_index(phone, kind="phone"))`). Lookups on the
encrypted column other than "is empty" raise FieldError.
"""

import base64
import functools
import hmac
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact, IsNull

from .crypto import SM3, hmac_sm3, load_key, load_previous_keys, sm3

KEY_NAME = "PII_KEY"
PREVIOUS_NAME = "PII_KEY_PREVIOUS"
INDEX_KEY_NAME = "PII_INDEX_KEY"
KEY_SIZE = 16  # SM4 has 128-bit keys
INDEX_KEY_SIZE = 32
SCHEME = "sm4gcm"
NONCE_SIZE = 12
TAG_SIZE = 16


class PIIKeyError(ImproperlyConfigured):
    """A stored value cannot be decrypted with the configured keys."""


# --- Keys


def key_id(key: bytes) -> str:
    """A short public name for a key: the first 8 hex digits of its SM3 digest."""
    return sm3(b"pii:" + key)[:8]


def _environment():
    names = (KEY_NAME, PREVIOUS_NAME, INDEX_KEY_NAME)
    values = [os.environ.get(n, "") for n in names]
    values += [os.environ.get(f"{n}_FILE", "") for n in names]
    return (settings.SECRET_KEY, *values)


@functools.lru_cache(maxsize=4)
def _keys(environment):
    current = load_key(KEY_NAME, size=KEY_SIZE)
    ring = {
        key_id(key): key
        for key in [*load_previous_keys(PREVIOUS_NAME, size=KEY_SIZE), _derived_key()]
    }
    ring[key_id(current)] = current
    index_key = load_key(INDEX_KEY_NAME, size=INDEX_KEY_SIZE)
    if index_key[:KEY_SIZE] == current:
        raise ImproperlyConfigured(f"{INDEX_KEY_NAME} must differ from {KEY_NAME}")
    return key_id(current), ring, index_key


def keys():
    """(current key id, {key id: key}, blind-index key), read from the environment."""
    return _keys(_environment())


def _derived_key():
    # What load_key derives when PII_KEY is not set: values written by a demo or a first
    # start without the key stay readable once it is set (then run pii_reencrypt).
    return hmac.new(settings.SECRET_KEY.encode(), KEY_NAME.encode(), SM3).digest()[:KEY_SIZE]


# --- Values


def is_encrypted(value) -> bool:
    return isinstance(value, str) and value.startswith(f"{SCHEME}$")


def stored_key_id(value) -> str:
    """The id of the key a stored value was encrypted with ("" for an empty value)."""
    return value.split("$")[1] if is_encrypted(value) else ""


def encrypt(plain: str, *, context: str) -> str:
    """The stored form of `plain`; `context` (e.g. "org.person.phone") is authenticated."""
    if plain in (None, ""):
        return plain
    current, ring, _ = keys()
    nonce = os.urandom(NONCE_SIZE)
    encryptor = Cipher(algorithms.SM4(ring[current]), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(context.encode())
    body = encryptor.update(plain.encode()) + encryptor.finalize()
    token = base64.b64encode(nonce + body + encryptor.tag).decode()
    return f"{SCHEME}${current}${token}"


def decrypt(stored: str, *, context: str) -> str:
    """The plain value of a stored one; PIIKeyError when no key opens it."""
    if stored in (None, ""):
        return stored
    parts = stored.split("$")
    if len(parts) != 3 or parts[0] != SCHEME:
        raise PIIKeyError(f"{context}: the stored value is not SM4-encrypted ({SCHEME}$…)")
    _, ring, _ = keys()
    key = ring.get(parts[1])
    if key is None:
        raise PIIKeyError(
            f"{context}: encrypted with key {parts[1]}, which is neither {KEY_NAME} nor in "
            f"{PREVIOUS_NAME}; set the key the data was written with"
        )
    try:
        raw = base64.b64decode(parts[2], validate=True)
        nonce, body, tag = raw[:NONCE_SIZE], raw[NONCE_SIZE:-TAG_SIZE], raw[-TAG_SIZE:]
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(context.encode())
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except (InvalidTag, ValueError) as exc:
        raise PIIKeyError(
            f"{context}: the value encrypted with key {parts[1]} fails its integrity check "
            "(altered in the database, or a different key under the same id)"
        ) from exc


# --- Blind indexes


def normalise(value: str, *, kind: str) -> str:
    value = (value or "").strip()
    if kind == "phone":
        value = re.sub(r"[\s\-()]", "", value)
        value = re.sub(r"^(\+86|0086)", "", value)
    elif kind == "email":
        value = value.lower()
    return value


def blind_index(value: str, *, kind: str) -> str:
    """HMAC-SM3 of the normalised value under PII_INDEX_KEY ("" for an empty value)."""
    value = normalise(value, kind=kind)
    if not value:
        return ""
    _, _, index_key = keys()
    return hmac_sm3(index_key, f"{kind}:{value}".encode())


# --- Fields


class _EmptyOnlyExact(Exact):
    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(_search_refused(self.lhs.target, "exact"))
        return super().get_prep_lookup()


class EncryptedFieldMixin:
    """Stores the value SM4-encrypted in a text column; see the module's docstring."""

    encrypted = True

    def get_internal_type(self):
        return "TextField"

    @property
    def context(self):
        # The model's label, or the one it had when its values were first encrypted, for a
        # model that moved to another app (`encryption_label = "api.mailboxmessage"`).
        label = getattr(self.model, "encryption_label", None) or self.model._meta.label_lower
        return f"{label}.{self.name}"

    def from_db_value(self, value, expression, connection):
        return decrypt(value, context=self.context)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value, context=self.context)

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return _EmptyOnlyExact
        raise FieldError(_search_refused(self, lookup_name))

    def get_transform(self, lookup_name):
        return None

    def audit_value(self, value):
        """The value as the audit log keeps it: masked, enough to recognise but not to
        contact, with a short keyed tag so that any change shows as one."""
        if not value:
            return value
        if "@" in value:
            local, _, domain = value.partition("@")
            masked = f"{local[:1]}***@{domain}"
        elif len(value) < 7:
            masked = "*" * len(value)
        else:
            masked = f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"
        _, _, index_key = keys()
        return f"{masked} #{hmac_sm3(index_key, f'audit:{value}'.encode())[:6]}"


def _search_refused(field, lookup):
    return (
        f"{field.model._meta.label}.{field.name} is stored encrypted and cannot be searched "
        f"with '{lookup}'; filter on its blind index with core.fields.blind_index()"
    )


class EncryptedCharField(EncryptedFieldMixin, models.CharField):
    pass


class EncryptedEmailField(EncryptedFieldMixin, models.EmailField):
    pass


class BlindIndexField(models.CharField):
    """HMAC-SM3 of the field `source`'s normalised value, computed at every save."""

    def __init__(self, *args, source, kind, **kwargs):
        self.source, self.kind = source, kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("default", "")
        kwargs["blank"] = True
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, kind=self.kind)
        for key in ("blank", "editable"):
            kwargs.pop(key, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = blind_index(getattr(model_instance, self.source), kind=self.kind)
        setattr(model_instance, self.attname, value)
        return value


class BlindIndexedMixin:
    """For models with blind indexes: saving `update_fields` that name an encrypted field
    also saves its index."""

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = [
                f.name
                for f in self._meta.concrete_fields
                if isinstance(f, BlindIndexField)
                and f.source in update_fields
                and f.name not in update_fields
            ]
            kwargs["update_fields"] = [*update_fields, *extra]
        return super().save(*args, **kwargs)


def encrypted_fields():
    """(model, [encrypted field names]) for every installed model that has some."""
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]
        if names:
            yield model, names


def migrate_rows(app_label, model_name, fields, *, decrypt_back=False):
    """RunPython code for a data migration: encrypt the plain values of `fields` and fill
    their blind indexes, or (`decrypt_back`) write the plain values back.

    `fields` is {field name: (blind index field name or None, kind)}; the migration runs
    while these fields are plain text columns in the historical model.
    """

    def run(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        context = f"{app_label}.{model_name}".lower()
        changed, columns = [], set()
        rows = model.objects.using(schema_editor.connection.alias).order_by("pk")
        indexes = [index for index, _ in fields.values() if index]
        for row in rows.only("pk", *fields, *indexes).iterator(chunk_size=500):
            dirty = False
            for name, (index, kind) in fields.items():
                value = getattr(row, name)
                if not value:
                    continue
                if decrypt_back and is_encrypted(value):
                    setattr(row, name, decrypt(value, context=f"{context}.{name}"))
                    columns.add(name)
                    dirty = True
                elif not decrypt_back and not is_encrypted(value):
                    setattr(row, name, encrypt(value, context=f"{context}.{name}"))
                    columns.add(name)
                    if index:
                        setattr(row, index, blind_index(value, kind=kind))
                        columns.add(index)
                    dirty = True
            if dirty:
                changed.append(row)
        if changed:
            model.objects.using(schema_editor.connection.alias).bulk_update(
                changed, sorted(columns), batch_size=200
            )

    return run
