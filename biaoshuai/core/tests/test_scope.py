from biaoshuai.core.scope import MANAGE, scope_for
from biaoshuai.org.models import Person, Unit


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


def test_security_and_audit_administrators_see_no_campaign_data(users):
    assert Person.objects.restrict(users.sysadmin).count() == 4
    assert Person.objects.restrict(users.secadmin).count() == 0
    assert Person.objects.restrict(users.auditadmin).count() == 0
