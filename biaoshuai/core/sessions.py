"""Django's session middleware, saving a session only when it changed, or at most once a
minute to keep its idle timeout running.

A request that only reads (most of them) writes nothing: the session row is saved when a
view changed the session, or when the last renewal is at least RENEW_EVERY seconds old,
which pushes the idle timeout (SESSION_COOKIE_AGE) back. An idle session still expires,
at most RENEW_EVERY seconds before a full timeout of inactivity.

The bell polls its count every minute; a poll must not count as activity, or an open tab
would never log out. A view marks such a request with `request.session_passive = True`:
the session is read, never saved, and its cookie not renewed.
"""

import time

from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.utils.cache import patch_vary_headers

RENEW_EVERY = 60  # seconds
RENEWED_KEY = "_renewed"


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is None:
            return super().process_response(request, response)
        if getattr(request, "session_passive", False) and not session.modified:
            patch_vary_headers(response, ("Cookie",))
            return response
        now = int(time.time())
        if session.modified and not session.is_empty():
            session[RENEWED_KEY] = now  # saved anyway: the timeout is renewed now
        elif session.session_key is not None and not session.is_empty():
            if now - session.get(RENEWED_KEY, 0) >= RENEW_EVERY:
                session[RENEWED_KEY] = now  # marks it modified: saved, expiry pushed back
        return super().process_response(request, response)
