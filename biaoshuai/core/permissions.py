"""Who may reach a view. Data scope is the scope mechanism's job; these check the role."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .roles import LEADING_GROUP, Role, SystemRole
from .scope import MANAGE, has_role, scope_for


def for_system_roles(predicate):
    """Mark `predicate` as guarding a system role's page (units, accounts, tokens, logs).

    `user_passes` answers 404 to the three system roles on every other page: 三员分立 keeps
    them out of business records, and "not yours" looks the same as "does not exist".
    """
    predicate.for_system_roles = True
    return predicate


def has_system_role(user):
    """One of the three system roles (a superuser is not one: it may do everything)."""
    return bool(
        user.is_authenticated and getattr(user, "system_role", "") and not user.is_superuser
    )


def is_campaign_user(user):
    """Any logged-in account that may reach campaign pages: not a system role."""
    return user.is_authenticated and not has_system_role(user)


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


@for_system_roles
def is_sysadmin(user):
    return is_system_role(user, SystemRole.SYSADMIN)


@for_system_roles
def is_secadmin(user):
    return is_system_role(user, SystemRole.SECADMIN)


@for_system_roles
def is_auditadmin(user):
    return is_system_role(user, SystemRole.AUDITADMIN)


def can_view_org(user):
    return not scope_for(user).empty


def can_manage_org(user):
    return not scope_for(user, MANAGE).empty


@for_system_roles
def can_view_units(user):
    """The unit tree: the system administrator keeps it; campaign roles see their scope."""
    return is_sysadmin(user) or can_view_org(user)


@for_system_roles
def can_manage_units(user):
    return is_sysadmin(user) or can_manage_org(user)


@for_system_roles
def can_view_accounts(user):
    """Accounts and role assignments: the system administrator keeps them, the office looks."""
    return is_sysadmin(user) or is_office(user)


def user_passes(predicate):
    """Anonymous users go to the login page; logged-in users without the role get 403.

    The system roles get 404 on every page whose predicate is not `for_system_roles`.
    """
    system_page = getattr(predicate, "for_system_roles", False)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not system_page and has_system_role(request.user):
                raise Http404
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
