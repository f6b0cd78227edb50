"""The bulk path for benchmark data: correct unit paths, every cadre in its unit's subtree."""

from biaoshuai.audit.models import AuditEvent
from biaoshuai.demo import data
from biaoshuai.demo.scale import SCALE_PREFIX, load_scale
from biaoshuai.org.models import PATH_SEGMENT_WIDTH, Person, Unit
from biaoshuai.org.services import unit_create


def test_scale_units_have_consistent_paths_and_cadres_reach_their_subtree(db):
    root = unit_create(by=None, name=data.ROOT_NAME, kind=Unit.Kind.DEPARTMENT)
    events = AuditEvent.objects.count()

    assert load_scale(units=50, cadres=500) == (50, 500)

    units = list(Unit.objects.filter(name__startswith=SCALE_PREFIX).select_related("parent"))
    assert len(units) == 50
    assert {u.depth for u in units} == {1, 2, 3}
    for unit in units:
        assert unit.path == f"{unit.parent.path}{unit.pk:0{PATH_SEGMENT_WIDTH}d}/"
        assert unit.depth == unit.path.count("/") - 1 == unit.parent.depth + 1
    assert Person.objects.count() == 500
    assert Person.objects.filter(unit__path__startswith=root.path).count() == 500
    top = [u for u in units if u.parent_id == root.pk]
    assert sum(Person.objects.filter(unit__path__startswith=u.path).count() for u in top) == 500
    for unit in units:
        subtree = Unit.objects.filter(path__startswith=unit.path)
        below = {u.pk for u in units if u.path.startswith(unit.path)}
        assert set(subtree.values_list("pk", flat=True)) == below
    # One audit event sums up the bulk load.
    assert AuditEvent.objects.count() == events + 1

    assert load_scale(units=50, cadres=500) == (0, 0)
    assert Person.objects.count() == 500
