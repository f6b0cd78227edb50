import re

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from biaoshuai.core.disclosure import Disclosure
from biaoshuai.core.testing import count_queries
from biaoshuai.publicity import services
from biaoshuai.publicity.models import NewsArticle
from biaoshuai.publicity.testing import assert_portal_hides
from biaoshuai.publicity.tests.conftest import article, exemplar, png_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(org, users, campaign):
    office, liaison = users.office, users.liaison_lishi
    return {
        "public": article(
            org.lishi,
            liaison,
            title="公开新闻甲",
            state="published",
            office=office,
            cover=png_file(),
            images=[(png_file(), "现场")],
        ),
        "public_exemplar": exemplar(
            org.lishi, liaison, title="公开典型甲", state="published", office=office
        ),
        "internal": article(
            org.lishi,
            liaison,
            title="内部新闻乙",
            body="内部正文乙。",
            state="published",
            disclosure=Disclosure.INTERNAL,
            office=office,
            cover=png_file(),
        ),
        "restricted": article(
            org.zengji,
            users.liaison_zengji,
            title="不公开新闻丙",
            state="published",
            disclosure=Disclosure.RESTRICTED,
            office=office,
        ),
        "draft": article(org.lishi, liaison, title="草稿新闻丁", body="草稿正文丁。"),
        "submitted": article(org.lishi, liaison, title="待审新闻戊", state="submitted"),
        "returned": article(
            org.lishi, liaison, title="退回新闻己", state="returned", office=office
        ),
        "internal_exemplar": exemplar(
            org.zengji,
            users.liaison_zengji,
            title="内部典型庚",
            state="published",
            disclosure=Disclosure.INTERNAL,
            office=office,
        ),
    }


HIDDEN = [
    "内部新闻乙",
    "内部正文乙",
    "不公开新闻丙",
    "草稿新闻丁",
    "草稿正文丁",
    "待审新闻戊",
    "退回新闻己",
    "内部典型庚",
]


def test_portal_never_shows_internal_or_restricted_records(client, published):
    visited = assert_portal_hides(client, HIDDEN)
    # The crawl reached the public records' pages, so it would have seen the others there.
    assert reverse("publicity_public:news_detail", args=[published["public"].pk]) in visited
    assert (
        reverse("publicity_public:exemplar_detail", args=[published["public_exemplar"].pk])
        in visited
    )
    assert reverse("portal:feed") in visited and reverse("portal:column") in visited
    # And it does fail when something internal leaks: the same crawl catches a public title.
    with pytest.raises(AssertionError, match="公开新闻甲"):
        assert_portal_hides(client, ["公开新闻甲"])


def test_non_public_pages_and_images_are_404(client, published):
    for key in ("internal", "restricted", "draft", "submitted", "returned"):
        pk = published[key].pk
        assert client.get(reverse("publicity_public:news_detail", args=[pk])).status_code == 404
        assert client.get(reverse("publicity_public:news_cover", args=[pk])).status_code == 404
    pk = published["internal_exemplar"].pk
    assert client.get(reverse("publicity_public:exemplar_detail", args=[pk])).status_code == 404
    public = published["public"]
    assert client.get(reverse("publicity_public:news_cover", args=[public.pk])).status_code == 200


def test_pages_have_title_description_and_sharing_metadata(client, published):
    urls = [
        reverse("portal:home"),
        reverse("portal:column"),
        reverse("publicity_public:news_list"),
        reverse("publicity_public:news_detail", args=[published["public"].pk]),
        reverse("publicity_public:exemplar_list"),
        reverse("publicity_public:exemplar_detail", args=[published["public_exemplar"].pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
        assert title and not title.startswith("·"), url
        for meta in (
            'name="description" content="',
            'property="og:title" content="',
            'property="og:description" content="',
            'property="og:url" content="',
        ):
            assert re.search(re.escape(meta) + r"[^\"]+\"", html), f"{meta} on {url}"
        assert 'rel="alternate" type="application/atom+xml"' in html
        assert 'name="viewport"' in html
    detail = client.get(urls[3]).content.decode()
    assert "<title>公开新闻甲" in detail and 'property="og:image"' in detail


def test_home_and_column_show_the_campaign(client, published, campaign):
    home = client.get(reverse("portal:home")).content.decode()
    assert campaign.name in home and "公开新闻甲" in home
    # Portal sections from the registry, in the navigation and on the page.
    assert reverse("publicity_public:news_list") in home
    column = client.get(reverse("portal:column")).content.decode()
    for text in ("政治立场的坚定性", "要求别人遵守的自己先遵守", "集中活动年", "深化拓展年"):
        assert text in column


def test_feed_lists_public_news_only(client, published):
    response = client.get(reverse("portal:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<feed" in body and "公开新闻甲" in body
    assert "内部新闻乙" not in body and "不公开新闻丙" not in body
    assert reverse("publicity_public:news_detail", args=[published["public"].pk]) in body


def test_search_finds_public_news_only(client, published):
    url = reverse("publicity_public:news_list")
    assert "公开新闻甲" in client.get(url, {"q": "公开新闻"}).content.decode()
    page = client.get(url, {"q": "内部正文"}).content.decode()
    assert "内部新闻乙" not in page


@override_settings(PORTAL_CACHE_SECONDS=60)
def test_publishing_shows_at_once_other_changes_after_the_ttl(client, org, users, campaign):
    url = reverse("portal:home")
    first = client.get(url)
    assert "X-Portal-Cache" not in first
    assert client.get(url)["X-Portal-Cache"] == "hit"
    news = article(org.lishi, users.liaison_lishi, title="刚发布的新闻", state="submitted")
    services.review_publish(obj=news, by=users.office)
    assert "刚发布的新闻" in client.get(url).content.decode()
    services.disclosure_set(obj=news, level=Disclosure.INTERNAL, by=users.office)
    assert "刚发布的新闻" not in client.get(url).content.decode()
    # A change written outside the publicity services waits for the cache entry to expire.
    NewsArticle.objects.filter(pk=news.pk).update(disclosure=Disclosure.PUBLIC)
    assert "刚发布的新闻" not in client.get(url).content.decode()
    cache.clear()  # what expiry after PORTAL_CACHE_SECONDS does
    assert "刚发布的新闻" in client.get(url).content.decode()


@override_settings(PORTAL_CACHE_SECONDS=60)
def test_a_cached_page_costs_one_query(client, published):
    """Only the portal's version number is read: it is shared by every worker."""
    url = reverse("portal:home")
    client.get(url)
    status, queries, _sql = count_queries(client, url)
    assert (status, queries) == (200, 1)


@override_settings(PORTAL_CACHE_SECONDS=0)
@pytest.mark.parametrize(
    "name, expected",
    [
        ("portal:home", 6),
        ("portal:column", 4),
        ("portal:feed", 1),
        ("publicity_public:news_list", 3),
        ("publicity_public:exemplar_list", 3),
    ],
)
def test_uncached_query_counts_are_fixed(client, org, users, campaign, name, expected):
    def add_rows():
        for n in range(4):
            article(
                org.lishi,
                users.liaison_lishi,
                title=f"新闻{n}",
                state="published",
                office=users.office,
                cover=png_file(),
            )
            exemplar(
                org.zengji,
                users.liaison_zengji,
                title=f"典型{n}",
                state="published",
                office=users.office,
            )

    add_rows()
    client.get(reverse(name))
    _s, before, _q = count_queries(client, reverse(name))
    add_rows()
    status, after, sql = count_queries(client, reverse(name))
    assert status == 200
    assert before == after == expected, "\n".join(sql)
