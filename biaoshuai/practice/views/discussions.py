import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from biaoshuai.core.permissions import user_passes
from biaoshuai.core.scope import MANAGE, VIEW, get_scoped_or_404

from .. import exports, selectors, services
from ..forms import DiscussionForm, add_service_error
from ..models import Discussion
from ..permissions import can_edit_record, can_record_discussion, can_view_practice
from .common import filtered, list_context, render_list
from .exemplars import exemplar_context


@user_passes(can_view_practice)
@require_GET
def discussion_list(request):
    form, filters, records = filtered(request, selectors.discussions_visible_to)
    context = list_context(request, form, filters, records)
    context["can_create"] = can_record_discussion(request.user)
    return render_list(request, "practice/discussion_list.html", context)


@user_passes(can_view_practice)
@require_GET
def discussion_export(request):
    _form, _filters, records = filtered(request, selectors.discussions_visible_to)
    return exports.discussions_xlsx(discussions=records)


@user_passes(can_view_practice)
@require_GET
def discussion_detail(request, pk):
    discussion = get_scoped_or_404(
        Discussion.objects.select_related("unit", "campaign"), request.user, VIEW, pk=pk
    )
    return render(
        request,
        "practice/discussion_detail.html",
        {
            "record": discussion,
            "answers": selectors.discussion_detail(discussion=discussion),
            "participants": selectors.discussion_participants(discussion=discussion),
            "can_edit": can_edit_record(request.user, discussion),
            **exemplar_context(request, discussion, "discussion"),
        },
    )


@user_passes(can_record_discussion)
@require_http_methods(["GET", "POST"])
def discussion_create(request):
    questions = selectors.current_choices("discussion_questions")
    form = DiscussionForm(request.POST or None, user=request.user, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            discussion = services.discussion_create(
                by=request.user,
                answers=form.answers(),
                participants=form.cleaned_data["participants"],
                **form.record_fields(),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The discussion has been recorded."))
            return redirect("practice:discussion_detail", pk=discussion.pk)
    return render(request, "practice/discussion_form.html", {"form": form, "record": None})


@user_passes(can_record_discussion)
@require_http_methods(["GET", "POST"])
def discussion_edit(request, pk):
    discussion = get_scoped_or_404(
        Discussion.objects.select_related("unit", "campaign"), request.user, MANAGE, pk=pk
    )
    questions = discussion.campaign.choices("discussion_questions")
    answers = dict(discussion.answers.values_list("question_key", "text"))
    form = DiscussionForm(
        request.POST or None,
        instance=copy.copy(discussion),
        user=request.user,
        questions=questions,
        answers=answers,
    )
    if request.method == "POST" and form.is_valid():
        fields = form.record_fields()
        try:
            services.discussion_update(
                discussion=discussion,
                by=request.user,
                answers=form.answers(),
                participants=form.cleaned_data["participants"],
                **{name: fields[name] for name in fields if name in form.changed_data},
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The discussion has been saved."))
            return redirect("practice:discussion_detail", pk=discussion.pk)
    return render(request, "practice/discussion_form.html", {"form": form, "record": discussion})
