from django.db.models import Count, IntegerField, OuterRef, Subquery

from biaoshuai.org.models import Person, Unit
from biaoshuai.org.services import unit_create


def test_subtree_with_a_value_matches_startswith(org):
    deep = unit_create(
        by=None, name="李市镇党建办一组", kind=Unit.Kind.SUB_UNIT, parent=org.lishi_sub
    )
    for unit in Unit.objects.all():
        expected = set(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
        got = set(Unit.objects.filter(path__subtree=unit.path).values_list("pk", flat=True))
        assert got == expected
    assert deep.pk in set(
        Unit.objects.filter(path__subtree=org.lishi.path).values_list("pk", flat=True)
    )


def test_subtree_with_an_outer_reference(org):
    counts = (
        Person.objects.filter(unit__path__subtree=OuterRef("path"))
        .order_by()
        .values("is_active")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = dict(
        Unit.objects.annotate(n=Subquery(counts, output_field=IntegerField())).values_list(
            "name", "n"
        )
    )
    assert rows["县委组织部部机关"] == 4
    assert rows["李市镇"] == 2
    assert rows["李市镇党建办"] == 1
    assert rows["曾集镇"] == 2
