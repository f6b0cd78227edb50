"""A group's keywords and pre-filled text never come from opinions outside the viewer's scope."""

from django.urls import reverse

from biaoshuai.core.testing import login
from biaoshuai.opinions.grouping import words
from biaoshuai.opinions.models import OpinionGroup

from .test_grouping import WINDOW, grouped  # noqa: F401  (the fixture)


def _window(run):
    """The window group, with a keyword only 李市镇's opinions have among its keywords."""
    window = OpinionGroup.objects.get(run=run, members__text=WINDOW[0])
    zengji_words = set(words(WINDOW[2])) | set(words(WINDOW[3]))
    lishi_only = sorted(set(words(WINDOW[0])) - zengji_words)
    if not set(window.keywords) - zengji_words:
        window.keywords = [*window.keywords, lishi_only[0]]
        window.save(update_fields=["keywords"])
    return window


def test_the_stored_group_mixes_units(grouped):  # noqa: F811
    run, _ = grouped
    window = _window(run)
    assert window.sample.startswith(WINDOW[0][:20])  # 李市镇's opinion
    zengji_words = set(words(WINDOW[2])) | set(words(WINDOW[3]))
    assert set(window.keywords) - zengji_words  # some keywords only 李市镇's texts have


def test_group_detail_prefills_only_what_the_viewer_may_see(client, users, grouped):  # noqa: F811
    run, _ = grouped
    window = _window(run)
    zengji_words = set(words(WINDOW[2])) | set(words(WINDOW[3]))
    login(client, users.liaison_zengji)
    response = client.get(reverse("opinions:group_detail", args=[window.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert WINDOW[0] not in body and WINDOW[1] not in body
    form = response.context["form"]
    assert form["description"].value() == WINDOW[2]  # the first of its own members
    shown = response.context["group"].keywords
    assert shown and set(shown) <= zengji_words
    for word in set(window.keywords) - zengji_words:
        assert f">{word}</span>" not in body


def test_group_list_shows_only_the_viewers_keywords_and_sample(client, users, grouped):  # noqa: F811
    run, _ = grouped
    window = _window(run)
    zengji_words = set(words(WINDOW[2])) | set(words(WINDOW[3]))
    login(client, users.liaison_zengji)
    response = client.get(reverse("opinions:groups"))
    body = response.content.decode()
    assert WINDOW[0][:30] not in body
    shown = next(g for g in response.context["page"] if g.pk == window.pk)
    assert set(shown.keywords) <= zengji_words
    assert shown.sample == WINDOW[2]
    for word in set(window.keywords) - zengji_words:
        assert f">{word}</span>" not in body


def test_the_office_still_sees_the_whole_group(client, users, grouped):  # noqa: F811
    run, _ = grouped
    window = _window(run)
    login(client, users.office)
    response = client.get(reverse("opinions:group_detail", args=[window.pk]))
    assert response.context["group"].keywords == window.keywords
    assert response.context["form"]["description"].value() == window.sample
