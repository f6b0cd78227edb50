"""The request being served, as far as the audit log needs it (the client's IP address).

Services receive no request; the account security middleware binds the address here for
the duration of each request, and `audit_record` reads it.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_client_ip = ContextVar("audit_client_ip", default=None)


@contextmanager
def bound_client_ip(ip):
    token = _client_ip.set(ip or None)
    try:
        yield
    finally:
        _client_ip.reset(token)


def current_client_ip():
    return _client_ip.get()
