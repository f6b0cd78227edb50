"""The portal's pages: submitting an opinion without an account, and following it by code."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.paginate import paginate

from . import antiflood, selectors, services
from .codes import code_display, code_for_submission
from .forms import PublicOpinionForm, RateForm, TrackForm

SUBMISSIONS_PER_HOUR = 5
LOOKUPS_PER_HOUR = 30
HOUR = 3600
CODE_NOT_FOUND = gettext_lazy("No opinion has this tracking code. Check the code and try again.")
THANKS_KEY = "opinions_public_code"


@require_http_methods(["GET", "POST"])
def submit(request):
    campaign = campaign_current()
    # Without a channel for the public form, the campaign takes no opinions here.
    taking = campaign is not None and campaign.channel_for("public_form") is not None
    if request.method == "POST" and taking:
        # The form's one-time token: a form sent before shows the same confirmation again.
        token = antiflood.challenge_nonce(request.POST.get("challenge"))
        if token and selectors.opinion_by_submission(token=token) is not None:
            return _thanks_redirect(request, code_for_submission(token))
        form = PublicOpinionForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data

            def admit():
                problem = antiflood.challenge_check(
                    token=data["challenge"], answer=data["answer"], honeypot=data["website"]
                )
                if problem is None and antiflood.rate_limited(
                    request, bucket="submit", limit=SUBMISSIONS_PER_HOUR, window=HOUR
                ):
                    problem = antiflood.RATE_LIMITED
                if problem is not None:
                    # The question's problems are said next to the question.
                    field = None if problem == antiflood.RATE_LIMITED else "answer"
                    raise ValidationError({field or NON_FIELD_ERRORS: problem})

            try:
                if token is None:  # a forged or missing challenge
                    raise ValidationError({"answer": antiflood.WRONG_ANSWER})
                _opinion, code = services.opinion_submit_once(
                    token=token,
                    admit=admit,
                    campaign=campaign,
                    content=data["content"],
                    unit_concerned=data["unit_concerned"],
                    is_anonymous=data["is_anonymous"],
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    files=data["attachments"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return _thanks_redirect(request, code)
        status = 400
    else:
        form = PublicOpinionForm()
        status = 200
    form.set_challenge()
    return render(
        request,
        "opinions_public/submit.html",
        {
            "form": form,
            "campaign": campaign,
            "taking": taking,
            "other_channels": _public_channels(campaign),
            "public_page": paginate(request, selectors.opinions_public(), per_page=5),
        },
        status=status,
    )


def _thanks_redirect(request, code):
    request.session[THANKS_KEY] = code_display(code)
    return redirect("opinions_public:thanks")


def _add_errors(form, exc):
    """A service's errors on the form: on their field when the form has it, else on top
    (a template may make the service refuse for reasons the form knows nothing of)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _public_channels(campaign):
    """The channels the template marks `public: true`, other than the form itself."""
    if campaign is None:
        return []
    return [
        item
        for item in campaign.config.get("lists", {}).get("opinion_channels", [])
        if item.get("public") and item.get("role") != "public_form"
    ]


@require_GET
def thanks(request):
    code = request.session.pop(THANKS_KEY, None)
    if code is None:
        return redirect("opinions_public:track")
    return render(request, "opinions_public/thanks.html", {"code": code})


@require_http_methods(["GET", "POST"])
def track(request):
    """Look an opinion up by its code (POST, so the code stays out of URLs and logs)."""
    if request.method == "GET":
        return render(request, "opinions_public/track.html", {"form": TrackForm()})
    form = TrackForm(request.POST)
    if antiflood.rate_limited(request, bucket="track", limit=LOOKUPS_PER_HOUR, window=HOUR):
        form.is_valid()
        form.add_error(None, antiflood.LOOKUPS_LIMITED)
        return render(request, "opinions_public/track.html", {"form": form}, status=429)
    opinion = selectors.opinion_by_code(code=form.data.get("code", "")) if form.is_valid() else None
    if opinion is None:
        if form.is_valid():
            form.add_error("code", CODE_NOT_FOUND)
        return render(request, "opinions_public/track.html", {"form": form}, status=404)
    return _result(request, opinion, form.cleaned_data["code"])


@require_POST
def rate(request):
    form = RateForm(request.POST)
    if antiflood.rate_limited(request, bucket="track", limit=LOOKUPS_PER_HOUR, window=HOUR):
        return render(
            request,
            "opinions_public/track.html",
            {"form": TrackForm(), "limited": True},
            status=429,
        )
    opinion = selectors.opinion_by_code(code=request.POST.get("code", ""))
    if opinion is None:
        track_form = TrackForm(request.POST)
        track_form.is_valid()
        track_form.add_error("code", CODE_NOT_FOUND)
        return render(request, "opinions_public/track.html", {"form": track_form}, status=404)
    if not form.is_valid():
        return _result(request, opinion, request.POST.get("code", ""), rate_form=form, status=400)
    try:
        services.opinion_rate(
            opinion=opinion,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _result(request, opinion, form.cleaned_data["code"], rate_form=form, status=400)
    messages.success(request, _("Thank you for rating the reply."))
    opinion.refresh_from_db()
    return _result(request, opinion, form.cleaned_data["code"])


@require_GET
def disclosed(request):
    page = paginate(request, selectors.opinions_public(), per_page=20)
    return render(request, "opinions_public/disclosed.html", {"page": page})


def _result(request, opinion, code, *, rate_form=None, status=200):
    problems = selectors.problems_for(kind="opinion", source_ids=[opinion.pk]).get(opinion.pk, [])
    return render(
        request,
        "opinions_public/result.html",
        {
            "opinion": opinion,
            "channels": dict(opinion.campaign.choices("opinion_channels")),
            "problems": problems,
            "rate_form": rate_form or RateForm(initial={"code": code}),
        },
        status=status,
    )
