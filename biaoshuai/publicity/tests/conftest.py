import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.core.disclosure import Disclosure
from biaoshuai.publicity import services
from biaoshuai.publicity.images import png_bytes


@pytest.fixture(autouse=True)
def _fresh_portal_cache():
    """Portal pages are cached; no test sees another's pages, nor leaves its own behind."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def campaign(db):
    today = timezone.localdate()
    return campaign_create_from_template(
        template_key="jiangdangxing",
        starts_on=(today - datetime.timedelta(days=120)).replace(day=1),
        by=None,
        make_current=True,
    )


def png_file(name="photo.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def article(
    unit,
    by,
    *,
    title="新闻",
    state="draft",
    disclosure=Disclosure.PUBLIC,
    office=None,
    body="第一段。\n第二段。",
    **kwargs,
):
    """A news article of `unit` brought to `state` through the services."""
    record = services.news_create(
        unit=unit, by=by, title=title, body=body, disclosure_proposed=disclosure, **kwargs
    )
    return _advance(record, by, state, disclosure, office)


def exemplar(unit, by, *, title="典型", state="draft", disclosure=Disclosure.PUBLIC, office=None):
    record = services.exemplar_create(
        unit=unit, by=by, title=title, summary="摘要", body="正文。", disclosure_proposed=disclosure
    )
    return _advance(record, by, state, disclosure, office)


def _advance(record, by, state, disclosure, office):
    if state == "draft":
        return record
    services.review_submit(obj=record, by=by)
    if state == "submitted":
        return record
    if state == "returned":
        return services.review_return(obj=record, by=office, reason="请补充图片")
    return services.review_publish(obj=record, by=office, disclosure=disclosure)


def appearance(outlet="人民日报", medium="newspaper", level="central", days_ago=3):
    return {
        "outlet": outlet,
        "medium": medium,
        "level": level,
        "published_on": timezone.localdate() - datetime.timedelta(days=days_ago),
    }


def record(
    campaign,
    unit,
    by,
    *,
    title="宣传稿",
    appearances=None,
    authors=(),
    state="recorded",
    office=None,
    **kwargs,
):
    kwargs.setdefault("link", "https://example.org/a")
    if not authors:
        kwargs.setdefault("authors_text", "通讯员")
    piece = services.publication_record(
        campaign=campaign,
        unit=unit,
        by=by,
        title=title,
        appearances=appearances or [appearance()],
        authors=list(authors),
        **kwargs,
    )
    if state == "confirmed":
        services.publication_confirm(publication=piece, by=office)
    elif state == "rejected":
        services.publication_reject(publication=piece, by=office, reason="无法核实")
    return piece
