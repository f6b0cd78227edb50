"""Password hashing with SM3 (GB/T 39786, commercial cryptography): PBKDF2 with HMAC-SM3.

The default hasher (first in PASSWORD_HASHERS). Hashes made by Django's hashers listed after
it still verify, and Django rehashes them with this one at the user's next login.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from biaoshuai.core.crypto import SM3

DEFAULT_ITERATIONS = 200_000


def _sm3(data=b""):
    return hashlib.new(SM3, data)


class PBKDF2SM3PasswordHasher(PBKDF2PasswordHasher):
    """pbkdf2_sm3$<iterations>$<salt>$<base64 hash>; OpenSSL provides SM3."""

    algorithm = "pbkdf2_sm3"
    digest = staticmethod(_sm3)

    @property
    def iterations(self):
        # Raising PASSWORD_SM3_ITERATIONS rehashes each password at its next login.
        return getattr(settings, "PASSWORD_SM3_ITERATIONS", DEFAULT_ITERATIONS)
