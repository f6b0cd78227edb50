"""Reads for the problem list."""

from django.db.models import Count, Prefetch, Q

from ..models import Problem, ProblemSource, RectificationItem


def problems_for_sources(*, kind, source_ids):
    """{source_id: [Problem, …]} for the problems traced to those records, in one query."""
    ids = [str(s) for s in source_ids]
    out = {}
    if not ids:
        return out
    rows = ProblemSource.objects.filter(kind=kind, source_id__in=ids).select_related(
        "problem", "problem__unit"
    )
    for row in rows.order_by("problem_id"):
        out.setdefault(row.source_id, []).append(row.problem)
    return out


def problems_visible_to(*, user, campaign, unit=None, dimension="", q="", disclosure=""):
    """Problems in the user's scope, with their item counts (one query)."""
    problems = (
        Problem.objects.restrict(user)
        .filter(campaign=campaign)
        .select_related("unit")
        .annotate(
            item_count=Count("items", filter=Q(items__parent__isnull=True)),
            closed_count=Count(
                "items",
                filter=Q(items__parent__isnull=True, items__state=RectificationItem.State.CLOSED),
            ),
        )
        .order_by("unit__path", "id")
    )
    if unit is not None:
        problems = problems.filter(unit__path__subtree=unit.path)
    if dimension:
        problems = problems.filter(dimension=dimension)
    if disclosure:
        problems = problems.filter(disclosure=disclosure)
    if q:
        problems = problems.filter(description__icontains=q)
    return problems


def problem_items(*, problem, user):
    """The problem's items in the user's scope, as a tree: [(item, depth)]."""
    items = list(
        RectificationItem.objects.restrict(user)
        .filter(problem=problem)
        .select_related("unit")
        .order_by("id")
    )
    children = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    ids = {i.pk for i in items}
    roots = [i for i in items if i.parent_id is None or i.parent_id not in ids]
    out = []

    def walk(item, depth):
        out.append((item, depth))
        for child in children.get(item.pk, []):
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    return out


def problem_with_sources(queryset):
    return queryset.select_related("unit", "campaign").prefetch_related(
        Prefetch("sources", queryset=ProblemSource.objects.order_by("id"))
    )
