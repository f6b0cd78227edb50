"""News articles and exemplars in the back office: list, write, submit, review."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from biaoshuai.core.disclosure import Disclosure
from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import is_campaign_user, is_office, user_passes
from biaoshuai.core.scope import MANAGE, get_scoped_or_404

from .. import selectors, services
from ..forms import ExemplarForm, NewsForm, PublishForm, ReasonForm, ReviewFilterForm
from ..models import Exemplar, NewsArticle, NewsImage
from .common import can_manage, can_write, cleaned, query_without_page

KINDS = {"news": NewsArticle, "exemplar": Exemplar}
SENT_FOR_REVIEW = gettext_lazy("Sent to the campaign office for review.")
PUBLISHED_ON_PORTAL = gettext_lazy("Published: anyone can now read it on the public portal.")
PUBLISHED_INSIDE = gettext_lazy(
    "Published at the level “%(level)s”; the public portal does not show it."
)
RETURNED = gettext_lazy("Returned to the author, who sees your reason.")
WITHDRAWN = gettext_lazy("Withdrawn from publication and sent back to its unit with your reason.")


# News


@user_passes(is_campaign_user)
@require_GET
def news_list(request):
    return _list(request, "news", selectors.news_list)


@user_passes(is_campaign_user)
@require_GET
def news_detail(request, pk):
    article = _visible(request, NewsArticle, pk)
    return render(
        request,
        "publicity/news_detail.html",
        {
            **_review_context(request, article),
            "article": article,
            "images": selectors.news_images(article=article),
        },
    )


@user_passes(can_write)
@require_http_methods(["GET", "POST"])
def news_create(request):
    form = NewsForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            article = services.news_create(
                unit=data["unit"],
                by=request.user,
                title=data["title"],
                body=data["body"],
                author=data["author"],
                summary=data["summary"],
                cover=data.get("cover"),
                images=[(f, "") for f in data.get("images") or []],
                disclosure_proposed=data["disclosure_proposed"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Draft saved. Submit it when it is ready for review."))
            return redirect("publicity:news_detail", pk=article.pk)
    return render(request, "publicity/news_form.html", {"form": form, "article": None})


@user_passes(can_write)
@require_http_methods(["GET", "POST"])
def news_edit(request, pk):
    article = get_scoped_or_404(
        NewsArticle.objects.select_related("unit"), request.user, MANAGE, pk=pk
    )
    form = NewsForm(
        request.POST or None, request.FILES or None, instance=copy.copy(article), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            name: data[name]
            for name in ("title", "author", "summary", "body", "disclosure_proposed")
        }
        try:
            services.news_update(
                article=article, by=request.user, cover=data.get("cover"), **fields
            )
            for file in data.get("images") or []:
                services.news_image_add(article=article, by=request.user, image=file)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("publicity:news_detail", pk=article.pk)
    return render(
        request,
        "publicity/news_form.html",
        {"form": form, "article": article, "images": selectors.news_images(article=article)},
    )


@user_passes(can_write)
@require_POST
def news_image_remove(request, pk, image_pk):
    article = get_scoped_or_404(NewsArticle.objects.all(), request.user, MANAGE, pk=pk)
    image = get_object_or_404(NewsImage, article=article, pk=image_pk)
    try:
        services.news_image_remove(image=image, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("publicity:news_edit", pk=article.pk)


# Exemplars


@user_passes(is_campaign_user)
@require_GET
def exemplar_list(request):
    return _list(request, "exemplar", selectors.exemplar_list)


@user_passes(is_campaign_user)
@require_GET
def exemplar_detail(request, pk):
    exemplar = _visible(request, Exemplar, pk, related=("unit", "person"))
    return render(
        request,
        "publicity/exemplar_detail.html",
        {**_review_context(request, exemplar), "exemplar": exemplar},
    )


@user_passes(can_write)
@require_http_methods(["GET", "POST"])
def exemplar_create(request):
    form = ExemplarForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            exemplar = services.exemplar_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Draft saved. Submit it when it is ready for review."))
            return redirect("publicity:exemplar_detail", pk=exemplar.pk)
    return render(request, "publicity/exemplar_form.html", {"form": form, "exemplar": None})


@user_passes(can_write)
@require_http_methods(["GET", "POST"])
def exemplar_edit(request, pk):
    exemplar = get_scoped_or_404(
        Exemplar.objects.select_related("unit"), request.user, MANAGE, pk=pk
    )
    form = ExemplarForm(request.POST or None, instance=copy.copy(exemplar), user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "unit"}
        try:
            services.exemplar_update(exemplar=exemplar, by=request.user, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("publicity:exemplar_detail", pk=exemplar.pk)
    return render(request, "publicity/exemplar_form.html", {"form": form, "exemplar": exemplar})


# Transitions, shared by both kinds


@user_passes(can_write)
@require_POST
def review_submit(request, kind, pk):
    record = get_scoped_or_404(_model(kind).objects.all(), request.user, MANAGE, pk=pk)
    _apply(request, services.review_submit, SENT_FOR_REVIEW, obj=record, by=request.user)
    return redirect(_detail(kind), pk=record.pk)


@user_passes(is_office)
@require_POST
def review_publish(request, kind, pk):
    record = get_object_or_404(_model(kind), pk=pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        level = form.cleaned_data["disclosure"]
        _apply(
            request,
            services.review_publish,
            PUBLISHED_ON_PORTAL
            if level == Disclosure.PUBLIC
            else PUBLISHED_INSIDE % {"level": Disclosure(level).label},
            obj=record,
            by=request.user,
            disclosure=form.cleaned_data["disclosure"],
        )
    else:
        messages.error(request, _("Choose a valid disclosure level."))
    return redirect(_detail(kind), pk=record.pk)


@user_passes(is_office)
@require_POST
def review_return(request, kind, pk):
    record = get_object_or_404(_model(kind), pk=pk)
    service = services.review_withdraw if request.POST.get("withdraw") else services.review_return
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    done = WITHDRAWN if request.POST.get("withdraw") else RETURNED
    _apply(request, service, done, obj=record, by=request.user, reason=reason)
    return redirect(_detail(kind), pk=record.pk)


def _apply(request, service, done, **kwargs):
    """Run a transition; say what happened, or why it did not."""
    try:
        service(**kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)


def _list(request, kind, selector):
    form = ReviewFilterForm(request.GET or None)
    filters = cleaned(form)
    records = selector(
        user=request.user, state=filters.get("state") or "", q=filters.get("q") or ""
    )
    context = {
        "kind": kind,
        "form": form,
        "page": paginate(request, records),
        "query": query_without_page(request),
        "can_write": can_write(request.user),
        "is_office": is_office(request.user),
        "counts": selectors.review_counts(user=request.user, model=_model(kind)),
    }
    template = f"publicity/{kind}_list.html"
    if request.htmx and not request.htmx.boosted:
        return render(request, f"{template}#table", context)
    return render(request, template, context)


def _visible(request, model, pk, related=("unit",)):
    record = selectors.readable(model, request.user).select_related(*related).filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


def _review_context(request, record):
    return {
        "can_manage": can_manage(request.user, record),
        "is_office": is_office(request.user),
        "publish_form": PublishForm(
            initial={"disclosure": record.disclosure_proposed or record.disclosure}
        ),
        "reason_form": ReasonForm(),
    }


def _model(kind):
    try:
        return KINDS[kind]
    except KeyError as exc:
        raise Http404 from exc


def _detail(kind):
    return f"publicity:{kind}_detail"
