"""Reads for inspections and their findings."""

from django.db.models import Count, Prefetch, Q

from biaoshuai.core.scope import VIEW, get_scoped_or_404
from biaoshuai.org.models import Person

from ..models import Finding, Inspection


def inspections_visible_to(*, user, unit=None, q=""):
    inspections = (
        Inspection.objects.restrict(user, VIEW)
        .select_related("unit")
        .annotate(
            finding_count=Count("findings", distinct=True),
            linked_count=Count(
                "findings",
                filter=Q(findings__problem_id__isnull=False) | Q(findings__item__isnull=False),
                distinct=True,
            ),
        )
    )
    if unit is not None:
        inspections = inspections.filter(unit__path__subtree=unit.path)
    if q:
        inspections = inspections.filter(
            Q(summary__icontains=q) | Q(inspectors_text__icontains=q) | Q(unit__name__icontains=q)
        )
    return inspections.order_by("-visited_on", "-pk")


def inspection_detail(*, user, pk, action=VIEW):
    queryset = Inspection.objects.select_related("unit", "campaign", "created_by").prefetch_related(
        Prefetch("inspectors", queryset=Person.objects.select_related("unit").order_by("name")),
        Prefetch("findings", queryset=Finding.objects.select_related("item").order_by("pk")),
    )
    return get_scoped_or_404(queryset, user, action, pk=pk)


def finding_for(*, user, pk, action):
    return get_scoped_or_404(
        Finding.objects.select_related("inspection__unit", "inspection__campaign", "item"),
        user,
        action,
        pk=pk,
    )
