"""Who may reach a view. Data scope is the scope mechanism's job; these check the role."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .roles import LEADING_GROUP, Role, SystemRole
from .scope import MANAGE, has_role, scope_for


def is_office(user):
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.OFFICE))


def is_leading_group(user):
    return user.is_authenticated and has_role(user, *LEADING_GROUP)


def is_liaison(user):
    return user.is_authenticated and has_role(user, Role.LIAISON)


def is_cadre(user):
    return user.is_authenticated and has_role(user, Role.CADRE)


def is_system_role(user, role):
    return user.is_authenticated and (user.is_superuser or user.system_role == role)


def is_sysadmin(user):
    return is_system_role(user, SystemRole.SYSADMIN)


def is_secadmin(user):
    return is_system_role(user, SystemRole.SECADMIN)


def is_auditadmin(user):
    return is_system_role(user, SystemRole.AUDITADMIN)


def can_view_org(user):
    return not scope_for(user).empty


def can_manage_org(user):
    return not scope_for(user, MANAGE).empty


def user_passes(predicate):
    """Anonymous users go to the login page; logged-in users without the role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
