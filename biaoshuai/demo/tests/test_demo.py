"""The demo loader: accounts, roles and scope, logging in, idempotence, the live campaign.

The demo is loaded once for the module, in a transaction rolled back at the end; each
test runs in a savepoint inside it.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from biaoshuai.campaigns.models import Campaign, Phase, PlanStep
from biaoshuai.core.roles import Role, SystemRole
from biaoshuai.demo import data
from biaoshuai.demo.loader import DEMO_PASSWORD, DEMO_USERNAMES, OVERDUE_STEPS, load_demo
from biaoshuai.org.models import Person, RoleAssignment, Unit

User = get_user_model()

EXPECTED_ROLES = {
    "leader": (Role.LEADER, data.ROOT_NAME),
    "office": (Role.OFFICE, data.ROOT_NAME),
    "liaison_lishi": (Role.LIAISON, data.LISHI),
    "liaison_zengji": (Role.LIAISON, data.ZENGJI),
    "cadre_lishi": (Role.CADRE, data.LISHI),
}
SYSTEM_ROLES = {
    "sysadmin": SystemRole.SYSADMIN,
    "secadmin": SystemRole.SECADMIN,
    "auditadmin": SystemRole.AUDITADMIN,
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            created = load_demo()
            yield created
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def unit(demo, db):
    return lambda name: Unit.objects.get(name=name)


def test_demo_accounts_exist_with_their_roles(demo, db, unit):
    assert sorted(DEMO_USERNAMES) == sorted([*EXPECTED_ROLES, *SYSTEM_ROLES])
    for username, (role, unit_name) in EXPECTED_ROLES.items():
        user = User.objects.get(username=username)
        assert user.is_demo and not user.must_change_password and not user.system_role
        assert list(user.role_assignments.values_list("role", "unit__name")) == [(role, unit_name)]
        assert Person.objects.get(user=user).unit.path.startswith(unit(unit_name).path)
    for username, system_role in SYSTEM_ROLES.items():
        user = User.objects.get(username=username)
        assert user.is_demo and user.system_role == system_role
        assert not user.role_assignments.exists()


def test_leading_group_and_office_are_recorded_at_the_department(demo, db, unit):
    root = unit(data.ROOT_NAME)
    assert root.parent is None and root.kind == Unit.Kind.DEPARTMENT
    at_root = RoleAssignment.objects.filter(unit=root)
    assert list(at_root.filter(role=Role.LEADER).values_list("user__username", "title")) == [
        ("leader", "部长")
    ]
    deputies = at_root.filter(role=Role.DEPUTY_LEADER).order_by("user__username")
    assert sorted(deputies.values_list("title", flat=True)) == ["副部长", "副部长", "常务副部长"]
    for assignment in deputies.select_related("user"):
        # The deputy leaders hold ordinary accounts: their first login asks for a new password.
        assert not assignment.user.is_demo and assignment.user.must_change_password
        assert assignment.user.person.unit == root
    assert at_root.filter(role=Role.OFFICE, user__username="office").exists()
    office_person = Person.objects.get(user__username="office")
    assert office_person.unit.name == data.OFFICE_SUB_UNIT
    assert office_person.unit.parent == root


def test_units_and_cadres(demo, db, unit):
    root = unit(data.ROOT_NAME)
    assert Unit.objects.filter(path__startswith=root.path).count() >= 24
    for name in [data.LISHI, data.ZENGJI, "教育和文化体育局", "国税局"]:
        assert unit(name).parent == root
    assert unit(data.LISHI).kind == Unit.Kind.TOWNSHIP
    assert unit("国税局").kind == Unit.Kind.COUNTY_AGENCY
    assert unit("李市镇党建办").parent == unit(data.LISHI)
    assert 180 <= Person.objects.count() <= 260
    for person in Person.objects.exclude(unit=root):
        assert person.phone.isdigit() and len(person.phone) == 11 and person.phone[0] == "1"
        assert person.gender in Person.Gender.values and person.birth_date is not None
        assert 2 <= len(person.name) <= 3 and person.position
    # Names are unique within a unit, so (unit, name) finds one person.
    assert Person.objects.values("unit", "name").distinct().count() == Person.objects.count()


def test_liaison_sees_only_their_township(demo, db, unit):
    lishi = unit(data.LISHI)
    liaison = User.objects.get(username="liaison_lishi")
    visible = Person.objects.restrict(liaison)
    assert visible.count() == Person.objects.filter(unit__path__startswith=lishi.path).count()
    assert visible.filter(unit__name="李市镇党建办").exists()
    assert not visible.exclude(unit__path__startswith=lishi.path).exists()
    office = User.objects.get(username="office")
    assert Person.objects.restrict(office).count() == Person.objects.count()


@pytest.mark.parametrize("username", [*EXPECTED_ROLES, *SYSTEM_ROLES])
def test_demo_account_logs_in_without_changing_password(demo, db, client, username):
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, "the login form was shown again"
    home = client.get(reverse("core:home"))
    if username in SYSTEM_ROLES:
        # System roles go on to set up two-factor authentication, never to a password change.
        assert home.status_code == 302 and reverse("accounts:otp_setup") in home.url
    else:
        assert home.status_code == 200
    assert reverse("accounts:password_change") not in home.get("Location", "")


def test_ordinary_account_is_sent_to_change_its_password(demo, db, client):
    client.post(reverse("accounts:login"), {"username": "chenguohua", "password": DEMO_PASSWORD})
    home = client.get(reverse("core:home"))
    assert home.status_code == 302 and reverse("accounts:password_change") in home.url


def test_demo_password_satisfies_the_policy(demo, db):
    for user in User.objects.all():
        validate_password(DEMO_PASSWORD, user)


def test_campaign_is_current_and_in_its_first_phase(demo, db):
    today = timezone.localdate()
    campaign = Campaign.objects.current()
    assert campaign is not None and campaign.template_key == "jiangdangxing"
    first = Phase.objects.filter(campaign=campaign).order_by("order").first()
    assert first.starts_on <= today <= first.ends_on
    assert campaign.current_phase(today) == first
    assert 7 * 30 <= (today - first.starts_on).days <= 10 * 31
    steps = list(PlanStep.objects.filter(phase__campaign=campaign))
    ended = [s for s in steps if s.ends_on < today]
    overdue = [s for s in steps if s.effective_status(today) == PlanStep.OVERDUE]
    assert len(overdue) == min(OVERDUE_STEPS, len(ended))
    assert sum(s.status == PlanStep.Status.DONE for s in ended) == len(ended) - len(overdue)
    for step in steps:
        if step.status == PlanStep.Status.DONE:
            assert step.done_on is not None and step.done_on <= today
        if step.starts_on <= today <= step.ends_on:
            assert step.status == PlanStep.Status.IN_PROGRESS
        if step.starts_on > today:
            assert step.status == PlanStep.Status.NOT_STARTED


def test_loading_again_changes_nothing(demo, db):
    from biaoshuai.notifications.models import Notification

    models = [Unit, Person, User, RoleAssignment, Campaign, Phase, PlanStep, Notification]
    before = {m: m.objects.count() for m in models}
    statuses = list(PlanStep.objects.order_by("pk").values_list("status", "done_on"))
    links = list(Person.objects.filter(user__isnull=False).values_list("pk", "user"))
    created = load_demo()
    assert set(created.values()) == {0}
    assert {m: m.objects.count() for m in models} == before
    assert list(PlanStep.objects.order_by("pk").values_list("status", "done_on")) == statuses
    assert list(Person.objects.filter(user__isnull=False).values_list("pk", "user")) == links
    assert sum(demo.values()) > 0


def test_a_second_campaign_runs_inside_the_first_with_records_of_its_own(demo, db):
    from biaoshuai.demo.second_campaign import NEWS, OPINIONS, SURVEY, TEMPLATE_KEY
    from biaoshuai.opinions.models import Opinion
    from biaoshuai.publicity.models import NewsArticle
    from biaoshuai.rectification.models import Problem, RectificationItem
    from biaoshuai.supervision.models import SupervisionItem
    from biaoshuai.surveys.models import Survey

    today = timezone.localdate()
    first = Campaign.objects.current()
    second = Campaign.objects.get(template_key=TEMPLATE_KEY)
    assert not second.is_current and second.is_under_way(today) and first.is_under_way(today)
    assert first.starts_on < second.starts_on and second.ends_on < first.ends_on
    assert second.short_name == "作风建设专项整治"
    assert Opinion.objects.filter(campaign=second).count() == len(OPINIONS)
    assert Problem.objects.filter(campaign=second).count() == 1
    assert RectificationItem.objects.filter(campaign=second).count() == 1
    assert SupervisionItem.objects.filter(campaign=second).count() == 1
    assert NewsArticle.objects.public().filter(campaign=second, title=NEWS[0]).exists()
    assert Survey.objects.get(title=SURVEY).campaign == second
    # None of its records is the first campaign's.
    assert not Opinion.objects.filter(campaign=first, content__in=[o[2] for o in OPINIONS])


@pytest.mark.parametrize(
    "username", ["leader", "office", "liaison_lishi", "liaison_zengji", "cadre_lishi"]
)
def test_every_role_has_read_and_unread_notices_of_several_kinds(demo, db, username):
    from biaoshuai.notifications.models import Notification

    notices = Notification.objects.filter(recipient__username=username)
    assert notices.filter(read_at__isnull=True).exists()
    assert notices.filter(read_at__isnull=False).exists()
    assert notices.values("kind").distinct().count() >= 2


@pytest.mark.parametrize(
    "username", ["leader", "office", "liaison_lishi", "liaison_zengji", "cadre_lishi"]
)
def test_every_role_has_work_waiting_on_its_home(demo, db, client, username):
    client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
    panels = client.get(reverse("core:home")).context["panels"]
    assert panels[0][0] == "core/panels/work.html"
    waiting = {line["item"].key for line in panels[0][1]["waiting"]}
    assert waiting, f"{username} has nothing in the work queue"
    if username == "leader":
        assert "supervision.bulletins_to_approve" in waiting
