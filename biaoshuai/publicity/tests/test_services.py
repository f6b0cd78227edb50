import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from biaoshuai.audit.models import AuditEvent
from biaoshuai.core.disclosure import Disclosure
from biaoshuai.publicity import selectors, services
from biaoshuai.publicity.cache import portal_cache_version
from biaoshuai.publicity.models import NewsArticle, Publication, ReviewState

from .conftest import appearance, article, exemplar, png_file, record

pytestmark = pytest.mark.django_db

S = ReviewState
# Every (state, transition) and whether it is legal.
TRANSITIONS = {
    "submit": {S.DRAFT: S.SUBMITTED, S.RETURNED: S.SUBMITTED},
    "publish": {S.SUBMITTED: S.PUBLISHED},
    "return": {S.SUBMITTED: S.RETURNED},
    "withdraw": {S.PUBLISHED: S.RETURNED},
}


def _run(transition, obj, liaison, office):
    if transition == "submit":
        return services.review_submit(obj=obj, by=liaison)
    if transition == "publish":
        return services.review_publish(obj=obj, by=office)
    if transition == "return":
        return services.review_return(obj=obj, by=office, reason="标题不准确")
    return services.review_withdraw(obj=obj, by=office, reason="需要更正")


@pytest.mark.parametrize("make", [article, exemplar], ids=["news", "exemplar"])
@pytest.mark.parametrize("transition", list(TRANSITIONS))
@pytest.mark.parametrize("state", list(S.values))
def test_every_review_transition(make, transition, state, org, users, campaign):
    obj = make(org.lishi, users.liaison_lishi, state=state, office=users.office)
    assert obj.state == state
    target = TRANSITIONS[transition].get(state)
    if target is None:
        with pytest.raises(ValidationError):
            _run(transition, obj, users.liaison_lishi, users.office)
        obj.refresh_from_db()
        assert obj.state == state
    else:
        _run(transition, obj, users.liaison_lishi, users.office)
        obj.refresh_from_db()
        assert obj.state == target


def test_return_needs_a_reason_and_keeps_it(org, users, campaign):
    news = article(org.lishi, users.liaison_lishi, state="submitted")
    with pytest.raises(ValidationError) as exc:
        services.review_return(obj=news, by=users.office, reason="  ")
    assert str(services.RETURN_NEEDS_REASON) in exc.value.messages
    services.review_return(obj=news, by=users.office, reason="请补充现场图片")
    news.refresh_from_db()
    assert news.state == S.RETURNED and news.return_reason == "请补充现场图片"
    assert news.is_editable
    services.news_update(article=news, by=users.liaison_lishi, title="改过的标题")
    services.review_submit(obj=news, by=users.liaison_lishi)
    services.review_publish(obj=news, by=users.office)
    news.refresh_from_db()
    assert news.return_reason == "" and news.published_at is not None


def test_only_draft_or_returned_is_editable(org, users, campaign):
    news = article(org.lishi, users.liaison_lishi, state="submitted")
    with pytest.raises(ValidationError):
        services.news_update(article=news, by=users.liaison_lishi, title="x")
    with pytest.raises(ValidationError):
        services.news_image_add(article=news, by=users.liaison_lishi, image=png_file())


def test_publish_sets_the_level_the_office_chooses(org, users, campaign):
    news = article(org.lishi, users.liaison_lishi, state="submitted", disclosure=Disclosure.PUBLIC)
    services.review_publish(obj=news, by=users.office, disclosure=Disclosure.INTERNAL)
    news.refresh_from_db()
    assert news.disclosure == Disclosure.INTERNAL
    assert news.disclosure_proposed == Disclosure.PUBLIC
    assert not NewsArticle.objects.public().filter(pk=news.pk).exists()


def test_images_are_checked(org, users, campaign):
    fake = SimpleUploadedFile("photo.png", b"not a png at all", content_type="image/png")
    with pytest.raises(ValidationError):
        services.news_create(
            unit=org.lishi, by=users.liaison_lishi, title="t", body="b", cover=fake
        )
    gif = SimpleUploadedFile("photo.gif", b"GIF89a....", content_type="image/gif")
    with pytest.raises(ValidationError):
        services.news_create(
            unit=org.lishi, by=users.liaison_lishi, title="t", body="b", images=[(gif, "")]
        )
    news = services.news_create(
        unit=org.lishi,
        by=users.liaison_lishi,
        title="t",
        body="b",
        cover=png_file(),
        images=[(png_file("a.png"), "甲"), (png_file("b.png"), "乙")],
    )
    assert news.cover.name.endswith(".png")
    assert [i.order for i in news.images.all()] == [1, 2]


def test_disclosure_set_audits_and_is_for_the_office(org, users, campaign):
    news = article(org.lishi, users.liaison_lishi, state="published", office=users.office)
    with pytest.raises(ValidationError) as exc:
        services.disclosure_set(obj=news, level=Disclosure.RESTRICTED, by=users.liaison_lishi)
    assert str(services.DISCLOSURE_OFFICE_ONLY) in exc.value.messages
    with pytest.raises(ValidationError):
        services.disclosure_set(obj=news, level="secret", by=users.office)
    before = AuditEvent.objects.count()
    version = portal_cache_version()
    services.disclosure_set(obj=news, level=Disclosure.RESTRICTED, by=users.office)
    news.refresh_from_db()
    assert news.disclosure == Disclosure.RESTRICTED
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.changes == {"disclosure": [Disclosure.PUBLIC, Disclosure.RESTRICTED]}
    assert event.verb == "disclosure_set"
    assert portal_cache_version() > version


def test_visibility_by_level(org, users, campaign):
    public = article(
        org.lishi, users.liaison_lishi, title="公开", state="published", office=users.office
    )
    internal = article(
        org.lishi,
        users.liaison_lishi,
        title="内部",
        state="published",
        disclosure=Disclosure.INTERNAL,
        office=users.office,
    )
    restricted = article(
        org.lishi,
        users.liaison_lishi,
        title="不公开",
        state="published",
        disclosure=Disclosure.RESTRICTED,
        office=users.office,
    )
    draft = article(org.lishi, users.liaison_lishi, title="草稿")
    assert set(NewsArticle.objects.public()) == {public}
    # Another unit's liaison and a logged-in user without a role see public and internal.
    assert set(NewsArticle.objects.visible_to(users.liaison_zengji)) == {public, internal}
    assert set(NewsArticle.objects.visible_to(users.norole)) == {public, internal}
    # Within scope, every level and state.
    assert set(NewsArticle.objects.visible_to(users.liaison_lishi)) == {
        public,
        internal,
        restricted,
        draft,
    }


# Publicity records and points


def test_points_follow_the_template(org, users, campaign):
    def points(*rows):
        return services.publication_points(campaign=campaign, appearances=rows)

    assert points({"level": "central", "medium": "newspaper"}) == (30, "central")
    assert points({"level": "provincial", "medium": "online"}) == (10, "provincial")
    assert points({"level": "municipal", "medium": "tv"}) == (10, "municipal")
    assert points({"level": "county", "medium": "newspaper"}) == (0, "county")


def test_a_piece_at_several_levels_counts_once_at_its_highest(org, users, campaign):
    piece = record(
        campaign,
        org.lishi,
        users.liaison_lishi,
        appearances=[
            appearance("荆州日报", "newspaper", "municipal", 10),
            appearance("湖北日报", "newspaper", "provincial", 8),
            appearance("县电视台", "tv", "county", 12),
        ],
        state="confirmed",
        office=users.office,
    )
    assert (piece.points, piece.level) == (20, "provincial")
    assert piece.published_on == timezone.localdate() - datetime.timedelta(days=12)
    period = selectors.period_for("year", timezone.localdate())
    rows = {
        u.pk: (p, n)
        for u, p, n in selectors.leaderboard_units(
            user=users.office,
            campaign=campaign,
            period=selectors.Period(
                "custom", period.start.replace(year=period.start.year - 1), period.end
            ),
        )
    }
    assert rows[org.lishi.pk] == (20, 1)


def test_only_confirmed_records_score(org, users, campaign):
    record(campaign, org.lishi, users.liaison_lishi, title="待确认")
    record(
        campaign,
        org.lishi,
        users.liaison_lishi,
        title="已退回",
        state="rejected",
        office=users.office,
    )
    confirmed = record(
        campaign, org.zengji, users.liaison_zengji, state="confirmed", office=users.office
    )
    total = selectors.confirmed_by_unit(
        campaign=campaign, unit_ids=[org.department.pk, org.lishi.pk, org.zengji.pk]
    )
    assert total == {org.department.pk: 30, org.lishi.pk: 0, org.zengji.pk: 30}
    assert confirmed.points == 30


def test_confirm_and_reject_are_legal_only_from_recorded(org, users, campaign):
    piece = record(campaign, org.lishi, users.liaison_lishi)
    with pytest.raises(ValidationError):
        services.publication_reject(publication=piece, by=users.office, reason="")
    services.publication_reject(publication=piece, by=users.office, reason="链接打不开")
    with pytest.raises(ValidationError):
        services.publication_confirm(publication=piece, by=users.office)
    # Editing a rejected record sends it back for confirmation.
    services.publication_update(
        publication=piece, by=users.liaison_lishi, link="https://example.org/b"
    )
    piece.refresh_from_db()
    assert piece.state == Publication.State.RECORDED and piece.reject_reason == ""
    services.publication_confirm(publication=piece, by=users.office)
    with pytest.raises(ValidationError):
        services.publication_confirm(publication=piece, by=users.office)
    with pytest.raises(ValidationError):
        services.publication_reject(publication=piece, by=users.office, reason="x")
    with pytest.raises(ValidationError) as exc:
        services.publication_update(publication=piece, by=users.liaison_lishi, title="改")
    assert str(services.PUBLICATION_NOT_EDITABLE) in exc.value.messages


def test_record_validation(org, users, campaign):
    with pytest.raises(ValidationError) as exc:
        services.publication_record(
            campaign=campaign,
            unit=org.lishi,
            by=users.liaison_lishi,
            title="t",
            appearances=[],
            authors=[],
            authors_text="",
        )
    messages = exc.value.messages
    for message in (services.NEED_APPEARANCE, services.NEED_PROOF, services.NEED_AUTHOR):
        assert str(message) in messages
    with pytest.raises(ValidationError) as exc:
        record(
            campaign,
            org.lishi,
            users.liaison_lishi,
            appearances=[appearance(medium="radio", level="world", days_ago=-3)],
        )
    for message in (
        services.APPEARANCE_BAD_MEDIUM,
        services.APPEARANCE_BAD_LEVEL,
        services.APPEARANCE_IN_FUTURE,
    ):
        assert str(message) in exc.value.messages
    with pytest.raises(ValidationError) as exc:
        record(campaign, org.lishi, users.liaison_lishi, authors=[org.people["zengji_a"]])
    assert str(services.AUTHOR_OUT_OF_UNIT) in exc.value.messages
    pdf = SimpleUploadedFile("proof.pdf", b"%PDF-1.4 proof", content_type="application/pdf")
    piece = record(
        campaign,
        org.lishi,
        users.liaison_lishi,
        link="",
        proof=pdf,
        authors=[org.people["lishi_a"], org.people["lishi_b"]],
    )
    assert piece.proof.name.endswith(".pdf")
    assert piece.authors.count() == 2


def test_people_leaderboard_gives_every_author_full_points(org, users, campaign):
    a, b = org.people["lishi_a"], org.people["lishi_b"]
    record(
        campaign,
        org.lishi,
        users.liaison_lishi,
        authors=[a, b],
        state="confirmed",
        office=users.office,
    )
    record(
        campaign,
        org.lishi,
        users.liaison_lishi,
        authors=[a],
        appearances=[appearance("湖北日报", "online", "provincial")],
        state="confirmed",
        office=users.office,
    )
    record(campaign, org.lishi, users.liaison_lishi, authors=[b])  # not confirmed
    period = selectors.period_for("month", timezone.localdate() - datetime.timedelta(days=3))
    people = list(selectors.leaderboard_people(user=users.office, campaign=campaign, period=period))
    assert [(p.name, p.points, p.pieces) for p in people] == [
        (a.name, 40, 2),
        (b.name, 30, 1),
    ]
    # A liaison sees only their own unit's cadres.
    assert (
        list(
            selectors.leaderboard_people(
                user=users.liaison_zengji, campaign=campaign, period=period
            )
        )
        == []
    )


def test_units_without_publicity_in_a_period(org, users, campaign):
    record(
        campaign,
        org.lishi_sub,
        users.liaison_lishi,
        authors=[org.people["lishi_b"]],
        state="confirmed",
        office=users.office,
    )
    record(campaign, org.zengji, users.liaison_zengji)  # awaiting confirmation: not counted
    day = timezone.localdate() - datetime.timedelta(days=3)
    period = selectors.period_for("month", day)
    silent = selectors.publicity_units_without_pieces(campaign=campaign, period=period)
    # The sub-unit's piece counts for 李市镇; the department recorded nothing itself.
    assert set(silent) == {org.zengji, org.department}
    last_year = selectors.period_for("year", day.replace(year=day.year - 1))
    assert set(selectors.publicity_units_without_pieces(campaign=campaign, period=last_year)) == {
        org.zengji,
        org.department,
        org.lishi,
    }


def test_periods():
    day = datetime.date(2026, 5, 17)

    def span(kind):
        period = selectors.period_for(kind, day)
        return period.start, period.end

    assert span("month") == (datetime.date(2026, 5, 1), datetime.date(2026, 5, 31))
    assert span("quarter") == (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    assert span("year") == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    custom = selectors.period_for("custom", day, start=datetime.date(2026, 2, 3), end=day)
    assert (custom.start, custom.end) == (datetime.date(2026, 2, 3), day)
