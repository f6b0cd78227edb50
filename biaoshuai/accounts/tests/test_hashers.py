"""Passwords are hashed with PBKDF2-HMAC-SM3 by default, and older hashes move to it at login.

The suite hashes with MD5 for speed (config/test_settings.py); these tests use the list the
project really runs with.
"""

import base64
import hashlib

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, get_hasher, identify_hasher
from django.test import override_settings

from biaoshuai.accounts.services import user_create
from config import settings as project_settings

from .factories import PASSWORD, post_login

pytestmark = pytest.mark.django_db
REAL_HASHERS = override_settings(
    PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS, PASSWORD_SM3_ITERATIONS=1000
)


def test_the_project_hashes_with_sm3_first_and_keeps_djangos_hashers_after_it():
    assert project_settings.PASSWORD_HASHERS[0] == (
        "biaoshuai.accounts.hashers.PBKDF2SM3PasswordHasher"
    )
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in project_settings.PASSWORD_HASHERS
    assert project_settings.PASSWORD_SM3_ITERATIONS >= 100_000


@REAL_HASHERS
def test_a_new_password_is_hashed_with_pbkdf2_hmac_sm3():
    user = user_create(username="wangjianguo", password=PASSWORD, by=None)
    algorithm, iterations, salt, digest = user.password.split("$")
    assert (algorithm, iterations) == ("pbkdf2_sm3", "1000")
    expected = hashlib.pbkdf2_hmac("sm3", PASSWORD.encode(), salt.encode(), 1000)
    assert base64.b64decode(digest) == expected
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "x")


@REAL_HASHERS
def test_an_older_hash_is_upgraded_to_sm3_at_login(client):
    user = user_create(username="wangjianguo", password=PASSWORD, by=None, initial=False)
    old = get_hasher("pbkdf2_sha256").encode(PASSWORD, "oldsaltoldsalt", iterations=1000)
    type(user).objects.filter(pk=user.pk).update(password=old)

    assert post_login(client, "wangjianguo").status_code == 302
    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "pbkdf2_sm3"
    assert check_password(PASSWORD, user.password)


@REAL_HASHERS
def test_raising_the_iterations_rehashes_at_login(client):
    user = user_create(username="wangjianguo", password=PASSWORD, by=None, initial=False)
    with override_settings(PASSWORD_SM3_ITERATIONS=2000):
        assert post_login(client, "wangjianguo").status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sm3$2000$")


def test_the_suite_itself_hashes_fast():
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
