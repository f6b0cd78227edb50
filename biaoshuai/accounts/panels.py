"""The blocks of the security and the audit administrators on the home page."""

from datetime import timedelta

from django.utils import timezone

from biaoshuai.audit import selectors as audit_selectors
from biaoshuai.core.permissions import for_system_roles, is_auditadmin, is_secadmin

from . import selectors


@for_system_roles
def security_panel(request):
    if not is_secadmin(request.user):
        return None
    return {
        "without_two_factor": selectors.accounts_without_two_factor_count(),
        "password_expired": selectors.accounts_password_expired_count(),
        "locked": selectors.locked_usernames().count(),
    }


@for_system_roles
def audit_panel(request):
    if not is_auditadmin(request.user):
        return None
    return {
        "failed_logins": selectors.login_failures_since(since=timezone.now() - timedelta(hours=24)),
        "locked": selectors.locked_usernames().count(),
        "events_today": audit_selectors.audit_events_since(since=audit_selectors.today_start()),
    }
