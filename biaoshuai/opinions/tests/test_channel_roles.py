"""Taking opinions in under a template without the channel keys web_form, mailbox and hotline:
each way in finds its channel by the role the template gives it, or is off."""

import pytest
from django.urls import reverse

from biaoshuai.api.testing import auth, make_token
from biaoshuai.campaigns.tests.factories import campaign_variant, channels_without_roles
from biaoshuai.opinions import mailbox, services
from biaoshuai.opinions.models import Opinion

from .factories import public_form_data, solve

SUBMIT = reverse("opinions_public:submit")
PUSH = "/api/v1/opinions"


@pytest.fixture
def no_roles(db):
    """Current campaign: renamed channels, none with a role."""
    return campaign_variant(channels_without_roles, make_current=True)


@pytest.fixture
def renamed(db):
    """Current campaign: renamed channels that keep their roles."""
    return campaign_variant(
        lambda d: channels_without_roles(d, keep=("public_form", "mailbox", "api")),
        make_current=True,
    )


def _post(client, **overrides):
    token, answer = solve(client, SUBMIT)
    return client.post(SUBMIT, public_form_data(challenge=token, answer=answer, **overrides))


def test_the_public_form_uses_the_channel_with_its_role(client, renamed, fast_form):
    response = _post(client, content="窗口服务需要改进。")
    assert response.status_code == 302
    assert Opinion.objects.get().channel == "online_message"


def test_without_a_public_form_channel_the_form_is_off_and_never_fails(client, no_roles, fast_form):
    page = client.get(SUBMIT)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="public-form-off"' in html and 'name="content"' not in html
    # A post made anyway (an old page, a script) is refused without an error page.
    assert client.post(SUBMIT, public_form_data(content="x")).status_code == 200
    assert not Opinion.objects.exists()
    with pytest.raises(services.ValidationError) as exc:
        services.opinion_submit(campaign=no_roles, content="绕过表单")
    assert services.PUBLIC_FORM_OFF in exc.value.messages


def test_a_service_error_on_a_field_the_form_lacks_is_shown_on_top(client, renamed, fast_form):
    """The error path never fails on a field the form does not have."""
    from django import forms

    from biaoshuai.opinions.public_views import _add_errors

    class OnlyContent(forms.Form):
        content = forms.CharField()

    form = OnlyContent({"content": "x"})
    assert form.is_valid()
    _add_errors(form, services.ValidationError({"channel": "渠道不可用", "content": "太短"}))
    assert form.non_field_errors() == ["渠道不可用"] and form.errors["content"] == ["太短"]


def test_public_channels_are_listed_beside_the_form(client, renamed):
    html = client.get(SUBMIT).content.decode()
    listed = html.split('id="other-channels"')[1]
    assert "电子邮箱" in listed and "热线" in listed
    assert "座谈走访" not in listed  # public: false


def test_the_api_uses_the_channel_with_the_api_role(client, org, renamed):
    _token, secret = make_token()
    response = client.post(
        PUSH, {"content": "热线转来的意见"}, content_type="application/json", **auth(secret)
    )
    assert response.status_code == 201, response.content
    assert Opinion.objects.get().channel == "phone_line"


def test_the_api_without_an_api_channel_asks_for_one(client, org, no_roles):
    _token, secret = make_token()
    response = client.post(
        PUSH, {"content": "热线转来的意见"}, content_type="application/json", **auth(secret)
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["channel"]
    named = client.post(
        PUSH,
        {"content": "热线转来的意见", "channel": "phone_line"},
        content_type="application/json",
        **auth(secret),
    )
    assert named.status_code == 201 and Opinion.objects.get().channel == "phone_line"


def test_the_mailbox_without_a_mailbox_channel_reads_nothing(settings, no_roles):
    settings.IMAP_HOST = "imap.invalid"

    class Refuse:
        def __getattr__(self, name):
            raise AssertionError("the mailbox must not be opened")

    result = mailbox.mailbox_fetch(connection=Refuse())
    assert (result.created, result.failed) == (0, 0)
    assert not Opinion.objects.exists()


def test_roles_of_campaigns_made_before_roles_existed(db):
    """The migration gave web_form, mailbox and hotline the roles the code assumed."""
    import importlib

    from biaoshuai.campaigns.models import Campaign

    migration = importlib.import_module(
        "biaoshuai.campaigns.migrations.0004_template_roles_labels_source"
    )
    campaign = campaign_variant(lambda d: channels_without_roles(d), key="jiangdangxing")
    config = campaign.config
    for item in config["lists"]["opinion_channels"]:
        item["key"] = {"online_message": "web_form", "email_box": "mailbox"}.get(
            item["key"], item["key"]
        )
    config.pop("template")
    Campaign.objects.filter(pk=campaign.pk).update(config=config)

    class Apps:
        def get_model(self, app, name):
            return Campaign

    migration.forwards(Apps(), None)
    campaign.refresh_from_db()
    assert campaign.channel_for("public_form") == "web_form"
    assert campaign.channel_for("mailbox") == "mailbox"
    assert campaign.channel_for("api") is None  # this campaign calls it phone_line
    assert campaign.config["reporting"]["bulletin"]["number_prefix"] == "组活办"
    assert campaign.config["labels"]["study.deliverables"] == "“三有”审核"
    assert campaign.config["template"].startswith("# 全县组工干部")
