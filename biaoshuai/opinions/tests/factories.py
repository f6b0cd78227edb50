"""Opinions in every state, built through the real services."""

import datetime

from django.utils import timezone

from biaoshuai.opinions import services
from biaoshuai.opinions.models import Opinion


def opinion_new(campaign, *, content="办事窗口中午无人值班", channel=None, email="", **kwargs):
    """Sent on the portal (the campaign's public-form channel), or recorded on `channel`."""
    if channel is not None:
        return services.opinion_record(
            by=None,
            campaign=campaign,
            channel=channel,
            received_on=timezone.localdate(),
            content=content,
            email=email,
            **kwargs,
        )
    return services.opinion_submit(campaign=campaign, content=content, email=email, **kwargs)


def advance(opinion, state, *, office, liaison, unit, deadline=None, reply="已安排专人值守。"):
    """Take `opinion` through the services until it reaches `state`."""
    deadline = deadline or timezone.localdate() + datetime.timedelta(days=7)
    path = {
        Opinion.State.NEW: [],
        Opinion.State.ASSIGNED: ["assign"],
        Opinion.State.SIGNED: ["assign", "sign"],
        Opinion.State.REPLIED: ["assign", "sign", "reply"],
        Opinion.State.RETURNED: ["assign", "sign", "reply", "return"],
        Opinion.State.CLOSED: ["assign", "sign", "reply", "approve"],
        Opinion.State.REOPENED: ["assign", "sign", "reply", "approve", "rate_bad"],
    }[state]
    for step in path:
        if step == "assign":
            services.opinion_assign(opinion=opinion, by=office, unit=unit, deadline=deadline)
        elif step == "sign":
            services.opinion_sign(opinion=opinion, by=liaison)
        elif step == "reply":
            services.opinion_reply(opinion=opinion, by=liaison, reply=reply)
        elif step == "return":
            services.opinion_return(opinion=opinion, by=office, note="答复过于简单")
        elif step == "approve":
            services.opinion_approve(opinion=opinion, by=office)
        elif step == "rate_bad":
            services.opinion_rate(opinion=opinion, rating=Opinion.Rating.DISSATISFIED)
    opinion.refresh_from_db()
    return opinion


def public_form_data(**overrides):
    data = {
        "content": "便民服务中心窗口中午无人值班，群众办事要等到下午。",
        "unit_concerned": "",
        "is_anonymous": "1",
        "name": "",
        "phone": "",
        "email": "",
        "answer": "",
        "website": "",
        "challenge": "",
    }
    data.update(overrides)
    return data


def solve(client, url):
    """GET the public form and return (token, answer) of its challenge."""
    import re

    from django.core import signing

    from biaoshuai.opinions.antiflood import SALT

    page = client.get(url).content.decode()
    token = re.search(r'name="challenge" value="([^"]+)"', page).group(1)
    values = signing.loads(token, salt=SALT)
    return token, str(values["a"] + values["b"])
