"""The audit administrator's block on the home page."""

from datetime import timedelta

from django.utils import timezone

from biaoshuai.core.permissions import for_system_roles, is_auditadmin

from . import selectors


@for_system_roles
def audit_panel(request):
    if not is_auditadmin(request.user):
        return None
    from biaoshuai.accounts import selectors as account_selectors

    return {
        "failed_logins": account_selectors.login_failures_since(
            since=timezone.now() - timedelta(hours=24)
        ),
        "locked": account_selectors.locked_usernames().count(),
        "events_today": selectors.audit_events_since(since=selectors.today_start()),
    }
