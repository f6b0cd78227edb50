"""List pages make the same number of queries however many rows they show."""

from django.urls import reverse

from biaoshuai.core.roles import Role
from biaoshuai.core.testing import assert_constant_queries, login
from biaoshuai.org.models import Unit
from biaoshuai.org.services import person_create, role_assign, unit_create

# Every request: session, user, role assignments, the current campaign (the menu shows its
# modules under its own labels); the session is not saved again within the minute.
# Then the page's own: count and rows of the list, plus what each page shows.
PER_REQUEST = 4
UNIT_LIST_QUERIES = PER_REQUEST + 3  # count, rows, their cadres (one GROUP BY)
PERSON_LIST_QUERIES = PER_REQUEST + 2  # the unit filter is a picker: no choices to read
UNIT_DETAIL_QUERIES = PER_REQUEST + 5  # + the unit, sub-units, role holders
# The system administrator holds no campaign role: no query for its role assignments.
ACCOUNT_LIST_QUERIES = PER_REQUEST - 1 + 4  # + the 2FA device, role assignments prefetched


def _warm(client, url):
    """The first request of a session stores its two-factor state; count from the second."""
    assert client.get(url).status_code == 200
    return url


def _more_rows(org):
    def add():
        for i in range(6):
            unit = unit_create(
                by=None, name=f"新增单位{i}", kind=Unit.Kind.SUB_UNIT, parent=org.lishi
            )
            person_create(by=None, unit=unit, name=f"新干部{i}", phone=f"1381234{i:04d}")
            person_create(by=None, unit=org.lishi, name=f"本级干部{i}")

    return add


def test_unit_list(client, users, org):
    login(client, users.liaison_lishi)
    assert_constant_queries(
        client, _warm(client, reverse("org:unit_list")), _more_rows(org), expected=UNIT_LIST_QUERIES
    )


def test_person_list(client, users, org):
    login(client, users.liaison_lishi)
    assert_constant_queries(
        client,
        _warm(client, reverse("org:person_list")),
        _more_rows(org),
        expected=PERSON_LIST_QUERIES,
    )


def test_unit_detail(client, users, org):
    login(client, users.office)

    def add():
        _more_rows(org)()
        for user in (users.leader, users.norole):
            role_assign(by=None, user=user, unit=org.lishi, role=Role.MEMBER)

    assert_constant_queries(
        client,
        _warm(client, reverse("org:unit_detail", args=[org.lishi.pk])),
        add,
        expected=UNIT_DETAIL_QUERIES,
    )


def test_account_list(client, users, org):
    login(client, users.sysadmin)

    def add():
        for user in (users.leader, users.norole, users.liaison_lishi):
            role_assign(by=None, user=user, unit=org.zengji, role=Role.CADRE)

    assert_constant_queries(
        client, _warm(client, reverse("org:user_list")), add, expected=ACCOUNT_LIST_QUERIES
    )
