"""Data at scale for benchmarks: thousands of units and a hundred thousand cadres, fast.

This path writes with bulk_create rather than the services, so it records one audit event
for the whole load instead of one per row. Units are created level by level (the database
returns their ids) and their paths are then set in bulk; everything happens in one
transaction, so an interrupted load leaves nothing behind and the next run starts afresh.
"""

import time

from django.db import transaction

from biaoshuai.audit.services import audit_record
from biaoshuai.org.models import Person, Unit

from .common import demo_root
from .data import POSITIONS, NameGenerator

# Every scale unit's name starts with this, so the loader can tell whether it already ran.
SCALE_PREFIX = "规模测试单位"
BATCH_SIZE = 5000
# Share of the scale units on each level below the root; the rest go on the last level.
LEVEL_SHARES = (0.1, 0.3)


def load_scale(*, units, cadres, stdout=None, seed="biaoshuai-scale"):
    """`units` units in three levels under the demo's root and `cadres` cadres spread over them.

    Does nothing when scale units are already there. Returns (units created, cadres created).
    """
    write = stdout.write if stdout is not None else (lambda message: None)
    if Unit.objects.filter(name__startswith=SCALE_PREFIX).exists():
        write("Scale data: already there.\n")
        return 0, 0
    started = time.perf_counter()
    with transaction.atomic():
        created_units = _create_units(demo_root(), units)
        write(f"Scale data: {len(created_units)} units ({time.perf_counter() - started:.1f} s)\n")
        created_people = _create_people(created_units, cadres, seed)
        audit_record(
            actor=None,
            action="import",
            verb="scale_load",
            object_type="org.unit",
            object_repr=f"{SCALE_PREFIX}（{len(created_units)} 个单位，{created_people} 名干部）",
            changes={"units": len(created_units), "cadres": created_people},
            note="基准测试数据批量导入",
        )
    write(
        f"Scale data: {len(created_units)} units and {created_people} cadres "
        f"in {time.perf_counter() - started:.1f} s\n"
    )
    return len(created_units), created_people


def _level_sizes(total):
    sizes = []
    for share in LEVEL_SHARES:
        sizes.append(min(total - sum(sizes), max(1, round(total * share))))
    sizes.append(total - sum(sizes))
    return [size for size in sizes if size > 0]


def _create_units(root, total):
    """Create the units level by level; each level's parents are the level above, in turn."""
    parents = [root]
    created = []
    number = 0
    for depth, size in enumerate(_level_sizes(total), start=1):
        level = []
        for index in range(size):
            number += 1
            if depth == 1:
                kind = Unit.Kind.TOWNSHIP if index % 2 == 0 else Unit.Kind.COUNTY_AGENCY
            else:
                kind = Unit.Kind.SUB_UNIT
            parent = parents[index % len(parents)]
            level.append(
                Unit(
                    name=f"{SCALE_PREFIX}{number:05d}",
                    kind=kind,
                    parent=parent,
                    sort_order=1000 + number,
                )
            )
        Unit.objects.bulk_create(level, batch_size=BATCH_SIZE)
        for unit in level:
            unit.path = unit.make_path()
            unit.depth = unit.path.count("/") - 1
        Unit.objects.bulk_update(level, ["path", "depth"], batch_size=500)
        created.extend(level)
        parents = level
    return created


def _create_people(units, total, seed):
    """`total` cadres, spread evenly over `units`, written BATCH_SIZE at a time."""
    if not units:
        return 0
    gen = NameGenerator(seed)
    rng = gen.rng
    positions = {kind: POSITIONS[kind] for kind in Unit.Kind.values if kind in POSITIONS}
    batch = []
    created = 0
    for index in range(total):
        unit = units[index % len(units)]
        gender = gen.gender()
        phone = gen.phone()
        batch.append(
            Person(
                unit_id=unit.pk,
                name=gen.name(gender),
                gender=gender,
                birth_date=gen.birth_date(),
                position=rng.choice(positions[unit.kind]),
                phone=phone,
                email=f"{phone}@139.com" if rng.random() < 0.3 else "",
            )
        )
        if len(batch) == BATCH_SIZE:
            Person.objects.bulk_create(batch, batch_size=BATCH_SIZE)
            created += len(batch)
            batch = []
    if batch:
        Person.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        created += len(batch)
    return created
