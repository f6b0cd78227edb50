import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from biaoshuai.core.crypto import hmac_sm3, load_key, sm3
from biaoshuai.core.net import client_ip


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_client_ip_ignores_forwarded_header_from_an_untrusted_peer(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_client_ip_behind_trusted_proxies_takes_the_rightmost_untrusted_hop(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    # The client forged "1.1.1.1"; nginx appended the real peer 198.51.100.7; HAProxy 10.0.0.2.
    request = _request("127.0.0.1", "1.1.1.1, 198.51.100.7, 10.0.0.2")
    assert client_ip(request) == "198.51.100.7"
    assert client_ip(_request("127.0.0.1")) == "127.0.0.1"
    assert client_ip(_request("127.0.0.1", "not-an-address")) == "127.0.0.1"


def test_sm3_matches_the_standard_vector():
    # GB/T 32905-2016, example 1.
    assert sm3(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert hmac_sm3(b"k", b"abc") != hmac_sm3(b"k2", b"abc")


def test_keys_from_environment_file_or_secret_key(monkeypatch, tmp_path, settings):
    monkeypatch.delenv("TEST_KEY", raising=False)
    monkeypatch.delenv("TEST_KEY_FILE", raising=False)
    derived = load_key("TEST_KEY", size=16)
    assert len(derived) == 16
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert load_key("TEST_KEY", size=16) != derived

    monkeypatch.setenv("TEST_KEY", "00" * 16)
    assert load_key("TEST_KEY", size=16) == bytes(16)
    monkeypatch.setenv("TEST_KEY", "abc")
    with pytest.raises(ImproperlyConfigured):
        load_key("TEST_KEY", size=16)

    monkeypatch.delenv("TEST_KEY")
    key_file = tmp_path / "key"
    key_file.write_text("ff" * 32 + "\n")
    monkeypatch.setenv("TEST_KEY_FILE", str(key_file))
    assert load_key("TEST_KEY") == b"\xff" * 32
