"""A refused request (403) is one warning line with user, path and address; no traceback."""

import logging

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
PAGE = "/accounts/accounts/"  # the security administrator's page


def test_a_403_is_logged_as_one_line_with_user_path_and_address(client, users, caplog):
    client.force_login(users.office)
    with caplog.at_level(logging.WARNING):
        response = client.get(PAGE, REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 403

    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert record.getMessage() == (
        f"Forbidden (Permission denied): {PAGE} user=office ip=198.51.100.20"
    )
    assert "Traceback" not in caplog.text


def test_a_refused_csrf_check_names_the_user_too(users, caplog):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.office)
    with caplog.at_level(logging.WARNING):
        response = client.post("/accounts/logout/", REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.security.csrf"]
    assert record.getMessage().endswith("/accounts/logout/ user=office ip=198.51.100.20")


def test_other_warnings_are_left_as_they_are(client, caplog):
    with caplog.at_level(logging.WARNING):
        assert client.get("/no-such-page/").status_code == 404
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Not Found: /no-such-page/"
