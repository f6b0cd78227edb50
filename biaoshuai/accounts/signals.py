"""Record every login attempt in the login log."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .services import login_log_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    login_log_record(request=request, username=user.get_username(), user=user, success=True)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    login_log_record(
        request=request,
        username=credentials.get("username", ""),
        success=False,
        reason="bad credentials",
    )


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, **kwargs):
    login_log_record(request=request, username=username or "", success=False, reason="locked out")
