"""Refused requests in the log: one line each, with who, what and from where.

Django logs a PermissionDenied with its traceback, though a 403 is an expected answer (a
user without the role, a record not theirs to change). This filter, on the `django.request`
and `django.security.csrf` loggers, drops the traceback from 403 records and adds the user
and the client's address, so a probe shows up clearly without flooding the log.
"""

import logging

from biaoshuai.core.net import client_ip


class ForbiddenOneLine(logging.Filter):
    def filter(self, record):
        request = getattr(record, "request", None)
        if getattr(record, "status_code", None) != 403 or request is None:
            return True
        # Logging may be configured more than once (the filter then sits twice on a logger).
        if getattr(record, "forbidden_one_line", False):
            return True
        record.forbidden_one_line = True
        user = getattr(request, "user", None)
        username = user.get_username() if user is not None and user.is_authenticated else "-"
        message = record.getMessage()
        record.msg = "%s user=%s ip=%s"
        record.args = (message, username, client_ip(request) or "-")
        record.exc_info = None
        record.exc_text = None
        return True
