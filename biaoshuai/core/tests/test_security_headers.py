"""HTTP hardening: the Content-Security-Policy on every response, templates without inline
script, and the HTTPS settings read from the environment."""

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.core.registry import registry
from biaoshuai.core.testing import login
from biaoshuai.publicity.testing import portal_start_urls

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted((ROOT / "biaoshuai").glob("**/templates/**/*.html"))
ROLES = ["leader", "office", "liaison_lishi", "cadre_lishi", "sysadmin", "secadmin", "auditadmin"]
EXPECTED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


@pytest.fixture
def campaign(db):
    return campaign_create_from_template(
        template_key="jiangdangxing",
        starts_on=datetime.date(2026, 3, 1),
        by=None,
        make_current=True,
    )


def policy(response):
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def test_the_policy_forbids_inline_script(client, db):
    directives = policy(client.get(reverse("accounts:login")))
    for name, value in EXPECTED.items():
        assert directives[name] == value
    assert "unsafe" not in directives["script-src"]


def test_every_page_carries_the_policy(client, users, campaign):
    urls = [reverse("accounts:login"), "/no-such-page/", "/api/v1/docs", *portal_start_urls()]
    for url in urls:
        assert policy(client.get(url))["script-src"] == "'self'", url
    for name in ROLES:
        client.logout()
        login(client, getattr(users, name))
        for item in [None, *registry.nav_for(getattr(users, name))]:
            url = reverse("core:home") if item is None else reverse(item.url_name)
            response = client.get(url)
            assert policy(response)["script-src"] == "'self'", (name, url)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script_or_handlers(path):
    text = path.read_text()
    for tag in re.findall(r"<script\b[^>]*>", text, flags=re.I):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.findall(r"\son[a-z]+\s*=", text, flags=re.I)
    assert not re.findall(r"\shx-on[:\w-]*\s*=", text, flags=re.I)
    assert "javascript:" not in text.lower()


def test_the_templates_are_found():
    assert len(TEMPLATES) > 100


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=3600)
def test_https_redirect_and_hsts(client, db):
    url = reverse("accounts:login")
    response = client.get(url)
    assert response.status_code == 301 and response["Location"].startswith("https://")
    secure = client.get(url, secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=3600"


@override_settings(
    SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
)
def test_behind_a_tls_proxy_its_header_counts(client, db):
    url = reverse("accounts:login")
    assert client.get(url, HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert client.get(url, HTTP_X_FORWARDED_PROTO="http").status_code == 301


def _settings_under(**env):
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
    ]
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "BEHIND_"))}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_https_settings_default_to_plain_http():
    assert _settings_under() == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_https_settings_from_the_environment():
    assert _settings_under(
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
        SECURE_COOKIES="true",
        BEHIND_TLS_PROXY="true",
    ) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }
