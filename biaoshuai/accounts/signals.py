"""Record every login attempt in the login log, one row per attempt."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .models import LoginLog
from .services import login_log_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    login_log_record(request=request, username=user.get_username(), user=user, success=True)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # axes' handler runs first (its app is listed first) and flags a locked-out request.
    locked = getattr(request, "axes_locked_out", False)
    login_log_record(
        request=request,
        username=credentials.get("username", ""),
        success=False,
        reason=LoginLog.Reason.LOCKED_OUT if locked else LoginLog.Reason.BAD_CREDENTIALS,
    )
