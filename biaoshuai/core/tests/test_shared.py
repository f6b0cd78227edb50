import shutil
import socket
import subprocess
import time

import pytest
import time_machine
from django.core.cache import caches
from django.test import override_settings
from django.utils import timezone

from biaoshuai.core import shared
from biaoshuai.core.models import SharedCounter

pytestmark = pytest.mark.django_db


def test_hits_count_within_the_window_and_start_again_after_it():
    assert [shared.hit("k", seconds=60) for _ in range(3)] == [1, 2, 3]
    assert shared.value("k") == 3
    assert 0 < shared.expires_in("k") <= 61
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=61)):
        assert shared.value("k") == 0
        assert shared.hit("k", seconds=60) == 1


def test_keys_are_counted_apart_and_without_expiry_for_ever():
    shared.hit("a", seconds=60)
    assert shared.hit("b", seconds=60) == 1
    assert [shared.hit("version") for _ in range(2)] == [1, 2]
    assert shared.expires_in("version") is None
    assert shared.expires_in("never-hit") == 0


def test_use_once():
    assert shared.use_once("token", seconds=60) is True
    assert shared.use_once("token", seconds=60) is False
    assert shared.use_once("other", seconds=60) is True


def test_a_new_window_purges_the_ended_ones():
    shared.hit("old", seconds=10)
    shared.hit("version")
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=11)):
        shared.hit("new", seconds=10)
    assert set(SharedCounter.objects.values_list("key", flat=True)) == {"new", "version"}


@pytest.fixture
def redis_url():
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_with_redis_the_counters_live_in_redis(redis_url):
    backend = "django.core.cache.backends.redis.RedisCache"
    configured = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {"BACKEND": backend, "LOCATION": redis_url, "KEY_PREFIX": "shared"},
    }
    with override_settings(CACHES=configured):
        try:
            assert [shared.hit("k", seconds=60) for _ in range(3)] == [1, 2, 3]
            assert shared.use_once("t", seconds=60) is True
            assert shared.use_once("t", seconds=60) is False
            assert 0 < shared.expires_in("k") <= 60
            assert shared.hit("version") == 1 and shared.expires_in("version") is None
            assert shared.value("k") == 3
            assert not SharedCounter.objects.exists()
        finally:
            caches["shared"].close()
            del caches["shared"]
