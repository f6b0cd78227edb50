"""Django's session middleware, except that a passive request does not renew the session.

The bell polls its count every minute; with SESSION_SAVE_EVERY_REQUEST every poll would
push the idle timeout back, and an open tab would never log out. A view marks such a
request with `request.session_passive = True`: the session is read, never saved, and its
cookie not renewed.
"""

from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.utils.cache import patch_vary_headers


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request, response):
        if getattr(request, "session_passive", False) and not request.session.modified:
            patch_vary_headers(response, ("Cookie",))
            return response
        return super().process_response(request, response)
