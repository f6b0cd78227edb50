"""Keeping the public form from being flooded, with no outside service.

- A rate limit per client address: a counter shared by every worker and machine
  (core/shared.py), keyed by an HMAC of the address (the address itself is stored nowhere).
- A challenge: a small sum written in Chinese numerals, signed with django.core.signing
  together with the time the form was served. The answer must be right, the form must not
  come back sooner than a person can fill it nor later than a few hours, each challenge
  is accepted once (by whichever worker sees it first), and a field hidden from people (the honeypot) must stay empty.
- The challenge's nonce is also the form's one-time token: sending the same form again
  makes no second opinion (services.opinion_submit_once).
"""

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from biaoshuai.core import shared
from biaoshuai.core.net import client_ip

SALT = "opinions.challenge"
DIGITS = "零一二三四五六七八九十"
CHALLENGE_MAX_AGE = 3 * 3600

WRONG_ANSWER = _("The answer to the question is not right. Please try the new question.")
TOO_FAST = _("The form was sent too quickly. Please check it and send it again.")
EXPIRED = _("The form has expired. Please answer the new question and send it again.")
RATE_LIMITED = _("Too many submissions from your network in a short time. Please try again later.")
LOOKUPS_LIMITED = _("Too many look-ups from your network. Please try again later.")


def min_fill_seconds():
    return getattr(settings, "OPINIONS_MIN_FILL_SECONDS", 3)


def challenge_new():
    """(token, question) for a fresh form."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.dumps({"a": a, "b": b, "t": time.time(), "n": secrets.token_hex(8)}, salt=SALT)
    return token, _("How much is %(a)s plus %(b)s?") % {"a": DIGITS[a], "b": DIGITS[b]}


def challenge_question(token):
    """The question of a token already served, or None when the token is not valid."""
    try:
        data = signing.loads(token, salt=SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.BadSignature:
        return None
    return _("How much is %(a)s plus %(b)s?") % {"a": DIGITS[data["a"]], "b": DIGITS[data["b"]]}


def challenge_nonce(token):
    """The one-time token of a form (its challenge's nonce), or None when forged or missing.

    Also for a form served long ago: its resubmission must still find the opinion it made.
    """
    try:
        return signing.loads(token or "", salt=SALT)["n"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


def challenge_check(*, token, answer, honeypot):
    """None when the challenge is passed, otherwise the message saying why not."""
    try:
        data = signing.loads(token or "", salt=SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.SignatureExpired:
        return EXPIRED
    except signing.BadSignature:
        return WRONG_ANSWER
    if honeypot:
        return WRONG_ANSWER
    if time.time() - data["t"] < min_fill_seconds():
        return TOO_FAST
    if _number(answer) != data["a"] + data["b"]:
        return WRONG_ANSWER
    # Each challenge once: a recorded form cannot be replayed.
    if not shared.use_once(f"opinions:challenge:{data['n']}", seconds=CHALLENGE_MAX_AGE):
        return EXPIRED
    return None


def rate_limited(request, *, bucket, limit, window):
    """Count one hit for the client in `bucket`; True when over `limit` within `window` s."""
    key = f"opinions:rate:{bucket}:{_client_key(request)}"
    return shared.hit(key, seconds=window) > limit


def _client_key(request):
    address = client_ip(request)
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def _number(answer):
    """The integer a person typed, in Arabic or Chinese numerals (up to 二十), or None."""
    text = (answer or "").strip().replace("两", "二")
    if text.isdigit():
        return int(text)
    if len(text) == 1 and text in DIGITS:
        return DIGITS.index(text)
    if len(text) == 2 and text[0] == "十" and text[1] in DIGITS[1:10]:
        return 10 + DIGITS.index(text[1])
    if len(text) == 2 and text[1] == "十" and text[0] in DIGITS[1:10]:
        return 10 * DIGITS.index(text[0])
    return None
