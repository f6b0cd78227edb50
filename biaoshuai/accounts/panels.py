"""The security administrator's block on the home page."""

from biaoshuai.core.permissions import for_system_roles, is_secadmin

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
    from biaoshuai.accounts import selectors as account_selectors

    return {
        "failed_logins": account_selectors.login_failures_since(
            since=timezone.now() - timedelta(hours=24)
        ),
        "locked": account_selectors.locked_usernames().count(),
        "events_today": selectors.audit_events_since(since=selectors.today_start()),
    }
