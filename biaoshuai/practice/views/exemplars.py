"""Putting a record forward as an exemplar (the unit) and deciding on it (the office)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from biaoshuai.core.permissions import user_passes
from biaoshuai.core.scope import VIEW, get_scoped_or_404

from .. import services
from ..forms import (
    ExemplarConfirmForm,
    ExemplarDeclineForm,
    ExemplarDiscloseForm,
    ExemplarProposeForm,
    add_service_error,
)
from ..models import Discussion, ExemplarStatus, Pairing, Placement
from ..permissions import can_confirm_exemplar, can_edit_record, can_view_practice

MODELS = {"discussion": Discussion, "pairing": Pairing, "placement": Placement}
UNIT_ACTIONS = {"propose", "withdraw"}
OFFICE_ACTIONS = {"confirm", "decline", "disclose"}


def exemplar_context(request, record, kind):
    """The exemplar card's forms: what this user may do with the record now."""
    user, status = request.user, record.exemplar_status
    can_edit = can_edit_record(user, record)
    office = can_confirm_exemplar(user)
    return {
        "kind": kind,
        "exemplar_url": f"practice:{kind}_exemplar",
        "propose_form": ExemplarProposeForm(
            initial={"summary": record.exemplar_summary, "disclosure": "public"}
        )
        if can_edit and status in (ExemplarStatus.NONE, ExemplarStatus.DECLINED)
        else None,
        "can_withdraw": can_edit and not office and status == ExemplarStatus.PROPOSED,
        "confirm_form": ExemplarConfirmForm(
            initial={
                "summary": record.exemplar_summary,
                "disclosure": record.disclosure_proposed or record.disclosure,
            }
        )
        if office and status == ExemplarStatus.PROPOSED
        else None,
        "decline_form": ExemplarDeclineForm()
        if office and status == ExemplarStatus.PROPOSED
        else None,
        "disclose_form": ExemplarDiscloseForm(initial={"disclosure": record.disclosure})
        if office and status == ExemplarStatus.CONFIRMED
        else None,
    }


@user_passes(can_view_practice)
@require_POST
def exemplar_action(request, pk, action, kind):
    if action not in UNIT_ACTIONS | OFFICE_ACTIONS:
        raise Http404
    model = MODELS[kind]
    record = get_scoped_or_404(
        model.objects.select_related(*_related(kind)), request.user, VIEW, pk=pk
    )
    if action in UNIT_ACTIONS and not can_edit_record(request.user, record):
        raise PermissionDenied
    if action in OFFICE_ACTIONS and not can_confirm_exemplar(request.user):
        raise PermissionDenied
    form, call = _form_and_call(action, request, record)
    if form is None or form.is_valid():
        try:
            call(form.cleaned_data if form is not None else {})
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return redirect(f"practice:{kind}_detail", pk=record.pk)
            add_service_error(form, exc)
        else:
            messages.success(request, _DONE[action]())
            return redirect(f"practice:{kind}_detail", pk=record.pk)
    return render(
        request,
        "practice/exemplar_form.html",
        {"record": record, "kind": kind, "action": action, "form": form},
        status=200,
    )


def _form_and_call(action, request, record):
    user = request.user
    if action == "propose":
        form = ExemplarProposeForm(request.POST)
        return form, lambda d: services.practice_exemplar_propose(
            record=record, by=user, summary=d["summary"], disclosure=d["disclosure"]
        )
    if action == "withdraw":
        return None, lambda d: services.practice_exemplar_withdraw(record=record, by=user)
    if action == "confirm":
        form = ExemplarConfirmForm(request.POST)
        return form, lambda d: services.practice_exemplar_confirm(
            record=record, by=user, disclosure=d["disclosure"], summary=d["summary"]
        )
    if action == "decline":
        form = ExemplarDeclineForm(request.POST)
        return form, lambda d: services.practice_exemplar_decline(
            record=record, by=user, note=d["note"]
        )
    form = ExemplarDiscloseForm(request.POST)
    return form, lambda d: services.practice_exemplar_disclose(
        record=record, by=user, disclosure=d["disclosure"]
    )


def _related(kind):
    return ("unit",) if kind == "discussion" else ("unit", "cadre")


_DONE = {
    "propose": lambda: _("Proposed as an exemplar; the campaign office will decide."),
    "withdraw": lambda: _("The proposal has been withdrawn."),
    "confirm": lambda: _("Confirmed as an exemplar."),
    "decline": lambda: _("The proposal has not been adopted."),
    "disclose": lambda: _("The disclosure level has been changed."),
}
