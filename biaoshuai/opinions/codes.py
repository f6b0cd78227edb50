"""Tracking codes (查询码): random, unambiguous when read aloud or typed, looked up by hash."""

import hashlib
import hmac
import re
import secrets

from django.conf import settings

# No 0/O, 1/I/L: a code read out on the phone is typed back without confusion.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12  # 31**12 ≈ 2**59 possibilities
_VALID = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")


def code_new():
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def code_display(code):
    """XXXX-XXXX-XXXX, easier to copy by hand."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def code_normalize(text):
    """The canonical code for what a person typed, or "" when it cannot be a code.

    Spaces and dashes are ignored and letters may be typed in lower case; anything else that
    is not exactly a code (too short, too long, a letter outside the alphabet) is refused.
    """
    cleaned = re.sub(r"[\s\-－—]", "", text or "").upper()
    return cleaned if _VALID.match(cleaned) else ""


def code_for_submission(token):
    """The tracking code of the opinion sent with the public form's one-time `token`: the
    same code each time the form is sent, unknowable without SECRET_KEY."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"opinions.submission:{token}".encode(), hashlib.sha256
    ).digest()
    number, code = int.from_bytes(digest, "big"), []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        code.append(ALPHABET[index])
    return "".join(code)


def submission_key(token):
    """What is stored of a one-time form token (PublicSubmission.key)."""
    return hashlib.sha256(f"opinions.submission:{token}".encode()).hexdigest()


def code_hash(code):
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def code_seal(code):
    """(nonce, sealed): the code masked with a keystream from SECRET_KEY, so the task that
    e-mails it never stores the code itself in the task table."""
    nonce = secrets.token_hex(16)
    stream = _keystream(nonce)
    sealed = "".join(
        ALPHABET[(ALPHABET.index(c) + k) % len(ALPHABET)]
        for c, k in zip(code, stream, strict=False)
    )
    return nonce, sealed


def code_unseal(nonce, sealed):
    stream = _keystream(nonce)
    return "".join(
        ALPHABET[(ALPHABET.index(c) - k) % len(ALPHABET)]
        for c, k in zip(sealed, stream, strict=False)
    )


def _keystream(nonce):
    return hmac.new(
        settings.SECRET_KEY.encode(), f"opinions.code:{nonce}".encode(), hashlib.sha256
    ).digest()
