"""Every list's query count is fixed: more rows, same number of queries."""

import datetime

import pytest
from django.urls import reverse

from biaoshuai.core.testing import assert_constant_queries, login
from biaoshuai.practice import services

from .conftest import discussion, pairing, placement, png_file, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def some(campaign, org):
    """One record of each kind, so each list has rows before more are added."""
    p = pairing(org.people["lishi_a"])
    visit(p, files=[png_file()])
    discussion(org.lishi, participants=[org.people["lishi_a"]])
    placement(org.people["lishi_a"])
    return p


def more_rows(org, n=6):
    def add():
        for i in range(n):
            cadre = org.people["lishi_b" if i % 2 else "lishi_a"]
            p = pairing(cadre, paired_name=f"村{i}")
            visit(p, files=[png_file()])
            visit(p, visited_on=datetime.date(2026, 3, 20))
            d = discussion(org.lishi_sub if i % 2 else org.lishi, title=f"大讨论{i}")
            services.practice_exemplar_propose(
                record=d, by=None, summary="经验", disclosure="public"
            )
            placement(cadre, kind=["enterprise", "village", "study_tour"][i % 3])

    return add


# (URL name, expected queries for the liaison): the session (read: 1; not saved again within the minute), the user,
# role assignments, the filter's units, count, page; the placement list also reads the current
# campaign (its kinds for the filter) and the page's campaigns (the kinds' names).
@pytest.mark.parametrize(
    "name, expected",
    [
        ("discussion_list", 6),  # unit filters are pickers: no choices read
        ("pairing_list", 6),
        ("visit_list", 6),
        ("placement_list", 7),
    ],
)
def test_list_query_counts(client, users, org, some, name, expected):
    login(client, users.liaison_lishi)
    assert_constant_queries(client, reverse(f"practice:{name}"), more_rows(org), expected=expected)


def test_portal_page_query_count(client, org, some, settings):
    settings.ROOT_URLCONF = "biaoshuai.practice.tests.urls"
    services.practice_exemplar_propose(record=some, by=None, summary="经验", disclosure="public")
    services.practice_exemplar_confirm(record=some, by=None, disclosure="public")

    def add():
        more_rows(org)()
        from biaoshuai.practice.models import Discussion

        for d in Discussion.objects.filter(exemplar_status="proposed"):
            services.practice_exemplar_confirm(record=d, by=None, disclosure="public")

    # The anonymous public: count and page of the union of the three kinds.
    assert_constant_queries(client, reverse("practice_public:exemplar_list"), add, expected=3)
