import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from biaoshuai.core.disclosure import Disclosure
from biaoshuai.core.registry import registry
from biaoshuai.core.testing import ANONYMOUS, assert_access, assert_constant_queries, login
from biaoshuai.publicity.models import NewsArticle, Publication

from .conftest import appearance, article, exemplar, png_file, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(org, users, campaign):
    news = article(org.lishi, users.liaison_lishi, title="李市镇草稿")
    submitted = article(org.lishi, users.liaison_lishi, title="李市镇待审", state="submitted")
    model = exemplar(org.lishi, users.liaison_lishi, title="李市镇典型")
    piece = record(campaign, org.lishi, users.liaison_lishi, authors=[org.people["lishi_a"]])
    return type(
        "Data", (), {"news": news, "submitted": submitted, "exemplar": model, "piece": piece}
    )


def test_read_pages_access(client, users, data):
    """Reading lists and details needs a login; another unit's draft is 404."""
    for name, args in [
        ("publicity:news_detail", [data.news.pk]),
        ("publicity:exemplar_detail", [data.exemplar.pk]),
    ]:
        assert_access(
            client,
            reverse(name, args=args),
            {
                ANONYMOUS: 302,
                users.liaison_zengji: 404,
                users.liaison_lishi: 200,
                users.cadre_lishi: 200,
                users.office: 200,
                users.leader: 200,
            },
        )
    for name in ("publicity:news_list", "publicity:exemplar_list"):
        assert_access(client, reverse(name), {ANONYMOUS: 302, users.norole: 200, users.office: 200})


def test_write_pages_access(client, users, data):
    for name in (
        "publicity:news_create",
        "publicity:exemplar_create",
        "publicity:publication_create",
    ):
        assert_access(
            client,
            reverse(name),
            {
                ANONYMOUS: 302,
                users.cadre_lishi: 403,
                users.norole: 403,
                users.liaison_lishi: 200,
                users.office: 200,
            },
        )
    for name, pk in [
        ("publicity:news_edit", data.news.pk),
        ("publicity:exemplar_edit", data.exemplar.pk),
        ("publicity:publication_edit", data.piece.pk),
    ]:
        assert_access(
            client,
            reverse(name, args=[pk]),
            {
                ANONYMOUS: 302,
                users.cadre_lishi: 403,
                users.liaison_zengji: 404,
                users.liaison_lishi: 200,
                users.office: 200,
            },
        )


def test_publication_pages_access(client, users, data):
    for url in [
        reverse("publicity:publication_list"),
        reverse("publicity:publication_export"),
        reverse("publicity:leaderboard"),
    ]:
        assert_access(
            client,
            url,
            {
                ANONYMOUS: 302,
                users.norole: 403,
                users.secadmin: 404,  # 三员分立: no business page
                users.cadre_lishi: 200,
                users.liaison_zengji: 200,
                users.office: 200,
            },
        )
    assert_access(
        client,
        reverse("publicity:publication_detail", args=[data.piece.pk]),
        {
            ANONYMOUS: 302,
            users.norole: 403,
            users.liaison_zengji: 404,
            users.liaison_lishi: 200,
            users.cadre_lishi: 200,
            users.leader: 200,
        },
    )


def test_disclosure_review_access(client, users, data):
    assert_access(
        client,
        reverse("publicity:disclosure_review"),
        {ANONYMOUS: 302, users.liaison_lishi: 403, users.leader: 403, users.office: 200},
    )


def test_office_actions_refuse_others(client, users, data):
    posts = [
        (
            reverse("publicity:review_publish", args=["news", data.submitted.pk]),
            {"disclosure": "public"},
        ),
        (reverse("publicity:review_return", args=["news", data.submitted.pk]), {"reason": "x"}),
        (reverse("publicity:publication_confirm", args=[data.piece.pk]), {}),
        (reverse("publicity:publication_reject", args=[data.piece.pk]), {"reason": "x"}),
        (
            reverse("publicity:disclosure_set"),
            {"kind": "publicity.news", "pk": data.news.pk, "level": "public"},
        ),
    ]
    for url, body in posts:
        assert_access(
            client,
            url,
            {ANONYMOUS: 302, users.liaison_lishi: 403, users.leader: 403},
            method="post",
            data=body,
        )
    data.submitted.refresh_from_db()
    data.piece.refresh_from_db()
    assert data.submitted.state == "submitted" and data.piece.state == "recorded"
    assert_access(
        client,
        reverse("publicity:review_submit", args=["news", data.news.pk]),
        {ANONYMOUS: 302, users.cadre_lishi: 403, users.liaison_zengji: 404},
        method="post",
    )


def test_write_submit_publish_through_the_pages(client, org, users, campaign):
    login(client, users.liaison_lishi)
    response = client.post(
        reverse("publicity:news_create"),
        {
            "unit": org.lishi.pk,
            "title": "李市镇开展解放思想大讨论",
            "author": "吴海军",
            "summary": "",
            "body": "第一段。\n[图1]\n第二段。",
            "disclosure_proposed": "public",
            "cover": png_file("cover.png"),
            "images": [png_file("a.png"), png_file("b.png")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    news = NewsArticle.objects.get(title="李市镇开展解放思想大讨论")
    assert news.images.count() == 2 and news.cover
    sent = client.post(reverse("publicity:review_submit", args=["news", news.pk]), follow=True)
    assert "已报送活动办公室审核。" in sent.content.decode()
    news.refresh_from_db()
    assert news.state == "submitted"
    login(client, users.office)
    published = client.post(
        reverse("publicity:review_publish", args=["news", news.pk]),
        {"disclosure": "public"},
        follow=True,
    ).content.decode()
    # Says what happened, not a generic "操作成功。"
    assert "已发布，公众现在可以在门户网站上看到。" in published
    assert "操作成功" not in published
    news.refresh_from_db()
    assert news.state == "published" and news.disclosure == "public"
    client.logout()
    page = client.get(reverse("publicity_public:news_detail", args=[news.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    html = html[html.index("<article") :]
    # [图1] places the first image between the paragraphs; the second follows the text.
    first, second = (
        reverse("publicity_public:news_image", args=[news.pk, i.pk]) for i in news.images.all()
    )
    assert html.index("第一段") < html.index(first) < html.index("第二段") < html.index(second)
    assert client.get(first).status_code == 200
    assert client.get(reverse("publicity_public:news_cover", args=[news.pk])).status_code == 200


def test_form_rerenders_with_a_chinese_message(client, org, users, campaign):
    login(client, users.liaison_lishi)
    response = client.post(
        reverse("publicity:news_create"),
        {
            "unit": org.lishi.pk,
            "title": "保留的标题",
            "body": "",
            "disclosure_proposed": "public",
            "cover": io.BytesIO(b"x"),
        },
    )
    assert response.status_code == 200
    assert "保留的标题" in response.content.decode()


def test_record_through_the_page(client, org, users, campaign):
    login(client, users.liaison_lishi)
    day = appearance()["published_on"].isoformat()
    response = client.post(
        reverse("publicity:publication_create"),
        {
            "unit": org.lishi.pk,
            "title": "组工干部下基层",
            "authors": [org.people["lishi_a"].pk],
            "authors_text": "",
            "link": "https://example.org/x",
            "outlet_0": "湖北日报",
            "medium_0": "newspaper",
            "level_0": "provincial",
            "date_0": day,
            "outlet_1": "荆州日报",
            "medium_1": "newspaper",
            "level_1": "municipal",
            "date_1": day,
        },
    )
    assert response.status_code == 302
    piece = Publication.objects.get(title="组工干部下基层")
    assert piece.points == 20 and piece.appearances.count() == 2
    # An incomplete row is refused and the input kept.
    response = client.post(
        reverse("publicity:publication_create"),
        {
            "unit": org.lishi.pk,
            "title": "半截",
            "authors_text": "某某",
            "link": "https://e.org",
            "outlet_0": "湖北日报",
            "medium_0": "",
            "level_0": "provincial",
            "date_0": day,
        },
    )
    assert response.status_code == 200 and "半截" in response.content.decode()


def test_disclosure_review_lists_and_sets(client, org, users, campaign):
    news = article(
        org.lishi,
        users.liaison_lishi,
        title="提议公开的稿件",
        state="published",
        disclosure=Disclosure.PUBLIC,
        office=users.office,
    )
    from biaoshuai.publicity import services

    services.disclosure_set(obj=news, level=Disclosure.INTERNAL, by=users.office)
    login(client, users.office)
    page = client.get(reverse("publicity:disclosure_review")).content.decode()
    assert "提议公开的稿件" in page
    client.post(
        reverse("publicity:disclosure_set"),
        {"kind": "publicity.news", "pk": news.pk, "level": "public"},
    )
    news.refresh_from_db()
    assert news.disclosure == "public"
    page = client.get(reverse("publicity:disclosure_review")).content.decode()
    assert reverse("publicity:news_detail", args=[news.pk]) not in page


def test_export_streams_xlsx(client, org, users, campaign):
    record(
        campaign,
        org.lishi,
        users.liaison_lishi,
        title="导出的稿件",
        state="confirmed",
        office=users.office,
    )
    login(client, users.office)
    response = client.get(reverse("publicity:publication_export"))
    assert response.streaming
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[2][0] == "导出的稿件" and rows[2][6] == 30


def test_scope_in_lists(client, org, users, campaign):
    record(campaign, org.zengji, users.liaison_zengji, title="曾集镇的稿件")
    article(org.zengji, users.liaison_zengji, title="曾集镇的草稿")
    login(client, users.liaison_lishi)
    assert "曾集镇的稿件" not in client.get(reverse("publicity:publication_list")).content.decode()
    assert "曾集镇的草稿" not in client.get(reverse("publicity:news_list")).content.decode()
    login(client, users.office)
    assert "曾集镇的稿件" in client.get(reverse("publicity:publication_list")).content.decode()


@pytest.mark.parametrize(
    "name, expected",
    [
        ("publicity:news_list", 7),
        ("publicity:exemplar_list", 7),
        ("publicity:publication_list", 8),  # the unit filter is a picker,
        ("publicity:leaderboard", 8),
        # One query per registered disclosable record type (other apps register theirs).
        ("publicity:disclosure_review", None),
    ],
)
def test_list_query_counts(client, org, users, campaign, name, expected):
    login(client, users.office)
    counter = iter(range(1000))

    def add_rows():
        for _ in range(3):
            n = next(counter)
            article(
                org.lishi,
                users.liaison_lishi,
                title=f"稿{n}",
                state="published",
                disclosure=Disclosure.INTERNAL,
                office=users.office,
            )
            exemplar(org.zengji, users.liaison_zengji, title=f"典型{n}", state="submitted")
            record(
                campaign,
                org.lishi,
                users.liaison_lishi,
                authors=[org.people["lishi_a"], org.people["lishi_b"]],
                appearances=[appearance(), appearance("湖北日报", "tv", "provincial")],
                state="confirmed",
                office=users.office,
            )

    add_rows()
    if expected is None:
        expected = 4 + len(registry.disclosables)
    assert_constant_queries(client, reverse(name), add_rows, expected=expected)
