"""No page in anyone's navigation says the same text twice in a row: within a paragraph,
a notice or a help text, nor in two such blocks one after the other."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.core.registry import registry
from biaoshuai.core.testing import login

from .test_catalogue_hygiene import repeated_text

ROLES = ["leader", "office", "liaison_lishi", "cadre_lishi"]
BLOCK_CLASSES = {"alert", "form-text", "invalid-feedback", "text-muted", "lead"}


class _Blocks(HTMLParser):
    """The text of each paragraph, notice and help text, in page order."""

    def __init__(self):
        super().__init__()
        self.blocks, self._open = [], []

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "p" or (tag == "div" and classes & BLOCK_CLASSES):
            self._open.append([tag, []])
        elif self._open and tag == self._open[-1][0]:
            self._open.append([tag, None])  # nested same tag: not a block of its own

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            _tag, parts = self._open.pop()
            if parts is not None:
                text = " ".join("".join(parts).split())
                if text:
                    self.blocks.append(text)

    def handle_data(self, data):
        for _tag, parts in self._open:
            if parts is not None:
                parts.append(data)


def said_twice(html):
    parser = _Blocks()
    parser.feed(html)
    found = [f"{found!r} in {b[:60]!r}" for b in parser.blocks if (found := repeated_text(b))]
    # Two sentences alike one after the other (rows of a list may share a date line).
    found += [
        f"{a[:60]!r} twice"
        for a, b in zip(parser.blocks, parser.blocks[1:], strict=False)
        if a == b and any(mark in a for mark in "。！？")
    ]
    return found


def test_the_check_finds_a_doubled_intro():
    assert said_twice("<p>请记下查询码。请记下查询码。</p>")
    assert said_twice('<p>欢迎提出意见建议。</p><div class="alert">欢迎提出意见建议。</div>')
    assert not said_twice("<p>欢迎提出意见建议。</p><p>凭查询码查看答复。</p>")


@pytest.mark.django_db
def test_no_page_says_its_text_twice(client, users):
    today = datetime.date.today()
    campaign_create_from_template(
        template_key="jiangdangxing", starts_on=today.replace(day=1), by=None, make_current=True
    )
    failures = []
    for name in ROLES:
        user = getattr(users, name)
        client.logout()
        login(client, user)
        urls = [reverse("core:home")] + [reverse(i.url_name) for i in registry.nav_for(user)]
        for url in dict.fromkeys(urls):
            response = client.get(url)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                failures += [f"{name} {url}: {f}" for f in said_twice(response.content.decode())]
    for url in ("/portal/", reverse("opinions_public:submit"), reverse("opinions_public:track")):
        client.logout()
        failures += [f"public {url}: {f}" for f in said_twice(client.get(url).content.decode())]
    assert not failures, "\n".join(failures)
