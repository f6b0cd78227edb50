"""News goes to the office for review; the decision comes back to its author and unit."""

import pytest

from biaoshuai.core.disclosure import Disclosure
from biaoshuai.notifications.models import Notification
from biaoshuai.publicity import services

from .conftest import article

pytestmark = pytest.mark.django_db


def _who(**filters):
    return sorted(
        Notification.objects.filter(**filters).values_list("recipient__username", flat=True)
    )


def test_news_review_and_disclosure(campaign, org, users):
    news = article(org.lishi, users.cadre_lishi, state="submitted", office=users.office)
    assert _who(kind="publicity.review") == ["office"]
    services.review_return(obj=news, by=users.office, reason="请补充图片")
    returned = _who(kind="publicity.review", text__contains="请补充图片")
    assert returned == ["cadre_lishi", "liaison_lishi"]
    services.review_submit(obj=news, by=users.cadre_lishi)
    services.review_publish(obj=news, by=users.office)
    assert _who(kind="publicity.review", text__startswith="已发布") == [
        "cadre_lishi",
        "liaison_lishi",
    ]
    services.disclosure_set(obj=news, level=Disclosure.INTERNAL, by=users.office)
    assert _who(kind="publicity.disclosure") == ["cadre_lishi", "liaison_lishi"]
    assert not Notification.objects.filter(recipient=users.liaison_zengji).exists()
