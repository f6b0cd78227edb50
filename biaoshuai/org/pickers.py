"""The search behind the unit and cadre pickers (org.widgets): JSON, within the caller's scope."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from biaoshuai.core.permissions import can_view_units, user_passes
from biaoshuai.core.scope import MANAGE, VIEW, scope_for, unit_admin_action

from .models import Person, Unit

PICK_LIMIT = 30


@require_GET
@user_passes(can_view_units)
def pick_units(request):
    """Active units whose name contains `q`, in the user's scope for `action`, each with its
    parent's name; `within` narrows to one unit's subtree."""
    units = Unit.objects.restrict(request.user, unit_admin_action(request.user, _action(request)))
    units = _within(request, units.filter(is_active=True), "path")
    q = request.GET.get("q", "").strip()
    if q:
        units = units.filter(name__icontains=q)
    rows = units.select_related("parent").order_by("path")[:PICK_LIMIT]
    return JsonResponse(
        {
            "results": [
                {"id": u.pk, "text": u.name, "unit": u.parent.name if u.parent else ""}
                for u in rows
            ]
        }
    )


@require_GET
@user_passes(can_view_units)
def pick_people(request):
    """Cadres in post whose name contains `q`, in the user's scope for `action`, each with
    their unit; `within` narrows to one unit's subtree, `without_login` to cadres with no
    login yet (for creating one)."""
    action = _action(request)
    if request.GET.get("without_login"):
        action = unit_admin_action(request.user, MANAGE)
    people = Person.objects.restrict(request.user, action).filter(is_active=True)
    if request.GET.get("without_login"):
        people = people.filter(user__isnull=True)
    people = _within(request, people, "unit__path")
    q = request.GET.get("q", "").strip()
    if q:
        people = people.filter(name__icontains=q)
    rows = people.select_related("unit").order_by("unit__path", "name")[:PICK_LIMIT]
    return JsonResponse(
        {"results": [{"id": p.pk, "text": p.name, "unit": p.unit.name} for p in rows]}
    )


def _action(request):
    return MANAGE if request.GET.get("action") == MANAGE else VIEW


def _within(request, queryset, path):
    """Narrows to a unit's subtree; a unit outside the user's view gives nothing."""
    within = request.GET.get("within", "")
    if not within:
        return queryset
    if not within.isdigit():
        return queryset.none()
    unit = Unit.objects.filter(pk=within).only("path").first()
    if unit is None or not scope_for(request.user, unit_admin_action(request.user, VIEW)).covers(
        unit
    ):
        return queryset.none()
    return queryset.filter(**{f"{path}__subtree": unit.path})
