from biaoshuai.core.roles import Role
from biaoshuai.core.scope import ADMIN, MANAGE, VIEW, roles_of, scope_for, unit_admin_action
from biaoshuai.org.models import Person, RoleAssignment, Unit


def test_liaison_sees_own_subtree_only(users, org):
    names = set(Person.objects.restrict(users.liaison_lishi).values_list("name", flat=True))
    assert names == {"王建国", "李秀英"}
    units = set(Unit.objects.restrict(users.liaison_lishi).values_list("name", flat=True))
    assert units == {"李市镇", "李市镇党建办"}


def test_office_and_leader_see_all_but_only_office_manages(users, org):
    assert Person.objects.restrict(users.office).count() == 4
    assert Person.objects.restrict(users.leader).count() == 4
    assert Person.objects.restrict(users.leader, MANAGE).count() == 0
    assert Person.objects.restrict(users.office, MANAGE).count() == 4


def test_cadre_views_but_does_not_manage(users, org):
    assert Person.objects.restrict(users.cadre_lishi).count() == 2
    assert scope_for(users.cadre_lishi, MANAGE).empty


def test_user_without_role_sees_nothing(users):
    assert Person.objects.restrict(users.norole).count() == 0


def test_scope_is_computed_once_per_request(users, django_assert_num_queries):
    from django.utils.functional import SimpleLazyObject

    from biaoshuai.accounts.models import User

    lazy = SimpleLazyObject(lambda: User.objects.get(pk=users.liaison_lishi.pk))
    with django_assert_num_queries(2):  # the user, then their role assignments
        scope_for(lazy)
        scope_for(lazy, MANAGE)
        scope_for(lazy)


def test_system_roles_see_no_campaign_data(users):
    for user in (users.sysadmin, users.secadmin, users.auditadmin):
        assert Person.objects.restrict(user).count() == 0
        assert Person.objects.restrict(user, MANAGE).count() == 0
        assert Unit.objects.restrict(user).count() == 0


def test_only_the_system_administrator_keeps_the_unit_tree(users):
    assert Unit.objects.restrict(users.sysadmin, ADMIN).count() == 4
    assert unit_admin_action(users.sysadmin, VIEW) == ADMIN
    for name in ("secadmin", "auditadmin", "office", "liaison_lishi"):
        user = getattr(users, name)
        assert Unit.objects.restrict(user, ADMIN).count() == 0
        assert unit_admin_action(user, VIEW) == VIEW


def test_a_stray_business_role_gives_a_system_role_nothing(users, org):
    # Services refuse the mix; an assignment written around them still opens nothing.
    RoleAssignment.objects.create(user=users.sysadmin, unit=org.department, role=Role.OFFICE)
    sysadmin = type(users.sysadmin).objects.get(pk=users.sysadmin.pk)
    assert roles_of(sysadmin) == ()
    assert Person.objects.restrict(sysadmin).count() == 0
