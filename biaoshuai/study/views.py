from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from biaoshuai.core.exports import xlsx_response
from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import can_view_org, is_campaign_user, user_passes
from biaoshuai.core.scope import MANAGE, VIEW, get_scoped_or_404, scope_for
from biaoshuai.org.models import Unit

from . import completion, selectors, services
from .forms import DeliverableForm, FilterForm, MaterialForm, ReviewForm, SessionForm
from .models import Attendance, Deliverable, DeliverableEvent, SessionMaterial, oversight_scope
from .templatetags.study_tags import rate_class

ATTENDANCE_PER_PAGE = 50
MATRIX_PER_PAGE = 25
NO_CAMPAIGN = "study/no_campaign.html"


def can_manage_study(user):
    return not scope_for(user, MANAGE).empty


def can_oversee(user):
    return not oversight_scope(user).empty


def _campaign_or_none():
    return selectors.campaign_current()


def _table(request, template, context):
    """The whole page, or only its table for an HTMX request."""
    if request.htmx and not request.htmx.boosted:
        template = f"{template}#table"
    return render(request, template, context)


def _query(request, drop=("page",)):
    return urlencode([(k, v) for k, v in request.GET.items() if k not in drop and v])


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# My study


@user_passes(can_view_org)
@require_GET
def my_study(request):
    campaign = _campaign_or_none()
    context = selectors.my_study(user=request.user, campaign=campaign)
    return render(request, "study/my_study.html", context)


# Sessions


@user_passes(can_view_org)
@require_GET
def session_list(request):
    campaign = _campaign_or_none()
    if campaign is None:
        return render(request, NO_CAMPAIGN)
    form = FilterForm(request.GET, choices=campaign.choices("study_kinds"))
    form.is_valid()
    when = request.GET.get("when", "")
    sessions = selectors.sessions_visible_to(
        user=request.user,
        campaign=campaign,
        kind=form.cleaned_data.get("kind", ""),
        when=when if when in ("upcoming", "past") else "",
    )
    if form.cleaned_data.get("q"):
        sessions = sessions.filter(title__icontains=form.cleaned_data["q"])
    return _table(
        request,
        "study/session_list.html",
        {
            "form": form,
            "when": when,
            "page": paginate(request, sessions),
            "query": _query(request),
            "kinds": dict(campaign.choices("study_kinds")),
            "can_manage": can_manage_study(request.user),
            "now": timezone.now(),
        },
    )


@user_passes(can_manage_study)
@require_http_methods(["GET", "POST"])
def session_create(request):
    campaign = _campaign_or_none()
    if campaign is None:
        return render(request, NO_CAMPAIGN)
    initial = {
        "unit": selectors.Unit.objects.restrict(request.user, MANAGE).order_by("path").first()
    }
    form = SessionForm(request.POST or None, user=request.user, campaign=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(
                campaign=campaign, by=request.user, **_session_values(data)
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Session “%(title)s” created.") % {"title": session})
            return redirect("study:session_detail", pk=session.pk)
    return render(request, "study/session_form.html", {"form": form, "session": None})


@user_passes(can_manage_study)
@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = get_scoped_or_404(
        selectors.StudySession.objects.select_related("campaign", "unit"),
        request.user,
        MANAGE,
        pk=pk,
    )
    initial = {
        "kind": session.kind,
        "sub_kind": session.sub_kind,
        "title": session.title,
        "unit": session.unit,
        "starts_at": timezone.localtime(session.starts_at),
        "ends_at": timezone.localtime(session.ends_at),
        "place": session.place,
        "speaker": session.speaker,
        "topics": session.topics,
        "audience_units": list(session.audience_units.all()),
        "description": session.description,
        "sign_in_opens_before": session.sign_in_opens_before,
    }
    form = SessionForm(
        request.POST or None, user=request.user, campaign=session.campaign, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                session=session, by=request.user, **_session_values(form.cleaned_data)
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Session saved."))
            return redirect("study:session_detail", pk=session.pk)
    return render(request, "study/session_form.html", {"form": form, "session": session})


@user_passes(can_view_org)
@require_GET
def session_detail(request, pk):
    session = selectors.session_for(user=request.user, pk=pk)
    if session is None:
        raise Http404
    can_manage = scope_for(request.user, MANAGE).covers(session.unit)
    context = {
        "session": session,
        "can_manage": can_manage,
        "summary": selectors.session_summary(session=session, user=request.user),
        "mine": selectors.own_attendance(session=session, user=request.user),
        "materials": list(session.materials.all()),
        "material_form": MaterialForm() if can_manage else None,
        "can_mark": can_manage_study(request.user),
        "sign_in_open": session.sign_in_open(),
        "now": timezone.now(),
    }
    if can_manage:
        context["sign_in_url"] = _sign_in_url(request, session)
        context["qr_svg"] = _qr_svg(context["sign_in_url"])
    return render(request, "study/session_detail.html", context)


@user_passes(can_manage_study)
@require_GET
def session_qr(request, pk):
    """The sign-in code full screen, to show on a projector at the session."""
    session = get_scoped_or_404(
        selectors.StudySession.objects.select_related("campaign"), request.user, MANAGE, pk=pk
    )
    url = _sign_in_url(request, session)
    return render(
        request,
        "study/session_qr.html",
        {"session": session, "sign_in_url": url, "qr_svg": _qr_svg(url, scale=10)},
    )


@user_passes(can_manage_study)
@require_http_methods(["GET", "POST"])
def attendance_mark(request, pk):
    session = selectors.session_for(user=request.user, pk=pk)
    if session is None:
        raise Http404
    unit = None
    if request.GET.get("unit"):
        unit = (
            Unit.objects.restrict(request.user, MANAGE).filter(pk=_int(request.GET["unit"])).first()
        )
    rows = selectors.attendance_for_marking(
        session=session, user=request.user, unit=unit, q=request.GET.get("q", "").strip()
    )
    if not rows.exists() and not (unit or request.GET.get("q")):
        raise Http404
    errors, row_errors = [], {}
    if request.method == "POST":
        marks = {}
        for key, status in request.POST.items():
            if key.startswith("status-") and _int(key[7:]) is not None:
                pk_ = _int(key[7:])
                marks[pk_] = (status, request.POST.get(f"reason-{pk_}", ""))
        try:
            changed = services.attendance_mark(session=session, by=request.user, marks=marks)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                row_errors = exc.message_dict
                errors = [
                    ngettext(
                        "%(count)s row needs a correction: see the message at the row.",
                        "%(count)s rows need a correction: see the messages at the rows.",
                        len(row_errors),
                    )
                    % {"count": len(row_errors)}
                ]
            else:
                errors = exc.messages
        else:
            messages.success(
                request, _("Attendance saved (%(count)s changed).") % {"count": changed}
            )
            return redirect(request.get_full_path())
    page = paginate(request, rows, per_page=ATTENDANCE_PER_PAGE)
    posted = request.POST if errors else {}
    for row in page:
        row.form_status = posted.get(f"status-{row.pk}", row.status)
        row.form_reason = posted.get(f"reason-{row.pk}", row.leave_reason)
        row.form_errors = row_errors.get(services.attendance_row_key(row.pk), [])
    return render(
        request,
        "study/attendance_mark.html",
        {
            "session": session,
            "page": page,
            "errors": errors,
            "statuses": Attendance.Status.choices,
            "query": _query(request),
            "units": selectors.Unit.objects.restrict(request.user, MANAGE)
            .filter(is_active=True)
            .order_by("path")[:300],
            "unit": unit,
            "summary": selectors.session_summary(session=session, user=request.user),
        },
    )


@user_passes(can_manage_study)
@require_POST
def material_upload(request, pk):
    session = get_scoped_or_404(selectors.StudySession.objects, request.user, MANAGE, pk=pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        services.session_material_add(
            session=session, by=request.user, file=form.cleaned_data["file"]
        )
        messages.success(request, _("Material added."))
    else:
        for error in form.errors.get("file", []):
            messages.error(request, error)
    return redirect("study:session_detail", pk=session.pk)


@user_passes(can_view_org)
@require_GET
def material_download(request, pk):
    material = SessionMaterial.objects.select_related("session").filter(pk=pk).first()
    if material is None or selectors.session_for(user=request.user, pk=material.session_id) is None:
        raise Http404
    return _file_response(material.file, material.name)


@user_passes(can_manage_study)
@require_POST
def material_delete(request, pk):
    material = SessionMaterial.objects.select_related("session__unit").filter(pk=pk).first()
    if material is None or not scope_for(request.user, MANAGE).covers(material.session.unit):
        raise Http404
    services.session_material_delete(material=material, by=request.user)
    messages.success(request, _("Material removed."))
    return redirect("study:session_detail", pk=material.session_id)


@user_passes(is_campaign_user)
@require_http_methods(["GET", "POST"])
def sign_in(request, token):
    """The page the session's QR code opens: the cadre confirms, and is present."""
    session = selectors.StudySession.objects.filter(sign_in_token=token).first()
    if session is None:
        return render(
            request, "study/sign_in.html", {"problem": services.SIGN_IN_WRONG_CODE}, status=404
        )
    attendance = selectors.own_attendance(session=session, user=request.user)
    problem = services.sign_in_check(session=session)
    if problem is None and attendance is None:
        problem = services.SIGN_IN_NOT_EXPECTED
    if request.method == "POST" and problem is None:
        try:
            attendance = services.attendance_sign_in(token=token, user=request.user)
        except ValidationError as exc:
            problem = exc.messages[0]
    return render(
        request,
        "study/sign_in.html",
        {"session": session, "attendance": attendance, "problem": problem},
    )


# Deliverables


@user_passes(can_oversee)
@require_GET
def deliverable_list(request):
    campaign = _campaign_or_none()
    if campaign is None:
        return render(request, NO_CAMPAIGN)
    form = FilterForm(request.GET, choices=campaign.choices("deliverable_kinds"))
    form.is_valid()
    state = request.GET.get("state", Deliverable.State.SUBMITTED)
    state = state if state in Deliverable.State.values else ""
    unit = None
    if request.GET.get("unit"):
        unit = (
            Unit.objects.restrict(request.user, VIEW).filter(pk=_int(request.GET["unit"])).first()
        )
    items = selectors.deliverables_for_review(
        user=request.user,
        campaign=campaign,
        state=state,
        kind=form.cleaned_data.get("kind", ""),
        unit=unit,
        q=form.cleaned_data.get("q", ""),
    )
    return _table(
        request,
        "study/deliverable_list.html",
        {
            "form": form,
            "state": state,
            "states": [s for s in Deliverable.State.choices if s[0] != Deliverable.State.DRAFT],
            "page": paginate(request, items),
            "query": _query(request),
            "counts": selectors.review_counts(user=request.user, campaign=campaign),
            "kinds": dict(campaign.choices("deliverable_kinds")),
        },
    )


@user_passes(can_view_org)
@require_http_methods(["GET", "POST"])
def deliverable_create(request):
    campaign = _campaign_or_none()
    if campaign is None:
        return render(request, NO_CAMPAIGN)
    person = selectors.person_of(request.user)
    if person is None:
        raise PermissionDenied
    phase = completion.study_phase(campaign)
    form = DeliverableForm(
        request.POST or None,
        request.FILES or None,
        campaign=campaign,
        initial={"kind": request.GET.get("kind")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # a draft that fails to submit is not kept half-made
                deliverable = services.deliverable_create(
                    person=person,
                    phase=phase,
                    kind=data["kind"],
                    title=data["title"],
                    text=data["text"],
                    file=data["file"],
                    by=request.user,
                )
                if "submit" in request.POST:
                    services.deliverable_submit(deliverable=deliverable, by=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            _saved_message(request, deliverable)
            return redirect("study:deliverable_detail", pk=deliverable.pk)
    return render(
        request, "study/deliverable_form.html", {"form": form, "deliverable": None, "phase": phase}
    )


@user_passes(can_view_org)
@require_http_methods(["GET", "POST"])
def deliverable_edit(request, pk):
    deliverable = selectors.deliverable_for(user=request.user, pk=pk)
    if deliverable is None:
        raise Http404
    if not services.can_edit(user=request.user, deliverable=deliverable):
        raise PermissionDenied
    form = DeliverableForm(
        request.POST or None,
        request.FILES or None,
        campaign=deliverable.campaign,
        fixed_kind=deliverable.kind,
        initial={"title": deliverable.title, "text": deliverable.text},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.deliverable_update(
                    deliverable=deliverable,
                    by=request.user,
                    title=data["title"],
                    text=data["text"],
                    file=data["file"],
                )
                if "submit" in request.POST:
                    services.deliverable_submit(deliverable=deliverable, by=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            _saved_message(request, deliverable)
            return redirect("study:deliverable_detail", pk=deliverable.pk)
    return render(
        request,
        "study/deliverable_form.html",
        {"form": form, "deliverable": deliverable, "phase": deliverable.phase},
    )


@user_passes(can_view_org)
@require_GET
def deliverable_detail(request, pk):
    deliverable = selectors.deliverable_for(user=request.user, pk=pk)
    if deliverable is None:
        raise Http404
    return render(
        request,
        "study/deliverable_detail.html",
        {
            "deliverable": deliverable,
            "events": list(deliverable.events.all()),
            "can_edit": services.can_edit(user=request.user, deliverable=deliverable),
            "can_review": deliverable.state == Deliverable.State.SUBMITTED
            and services.can_review(user=request.user, deliverable=deliverable),
            "review_form": ReviewForm(),
        },
    )


@user_passes(can_view_org)
@require_POST
def deliverable_submit(request, pk):
    deliverable = selectors.deliverable_for(user=request.user, pk=pk)
    if deliverable is None:
        raise Http404
    try:
        services.deliverable_submit(deliverable=deliverable, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Submitted for review."))
    return redirect("study:deliverable_detail", pk=pk)


@user_passes(can_manage_study)
@require_POST
def deliverable_review(request, pk):
    deliverable = selectors.deliverable_for(user=request.user, pk=pk)
    if deliverable is None:
        raise Http404
    form = ReviewForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    action = request.POST.get("action")
    try:
        if action == "accept":
            services.deliverable_accept(deliverable=deliverable, by=request.user, comment=comment)
            messages.success(request, _("Accepted."))
        elif action == "return":
            services.deliverable_return(deliverable=deliverable, by=request.user, comment=comment)
            messages.success(request, _("Returned to the author with your comment."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("study:deliverable_detail", pk=pk)


@user_passes(can_view_org)
@require_GET
def deliverable_file(request, pk):
    deliverable = selectors.deliverable_for(user=request.user, pk=pk)
    if deliverable is None or not deliverable.file:
        raise Http404
    return _file_response(deliverable.file)


@user_passes(can_view_org)
@require_GET
def event_file(request, pk):
    event = DeliverableEvent.objects.filter(pk=pk).first()
    if event is None or not event.file:
        raise Http404
    if selectors.deliverable_for(user=request.user, pk=event.deliverable_id) is None:
        raise Http404
    return _file_response(event.file)


# Completion


@user_passes(can_oversee)
@require_GET
def completion_matrix(request):
    campaign = _campaign_or_none()
    if campaign is None:
        return render(request, NO_CAMPAIGN)
    columns = selectors.matrix_columns(user=request.user, campaign=campaign)
    sort = request.GET.get("sort", "")
    units = selectors.matrix_units(user=request.user, campaign=campaign, sort=sort, columns=columns)
    page = paginate(request, units, per_page=MATRIX_PER_PAGE)
    cells = selectors.matrix_cells(campaign=campaign, units=page.object_list)
    rows = [(unit, [_cell(cells.get(unit.pk, {}).get(c.key)) for c in columns]) for unit in page]
    return _table(
        request,
        "study/completion.html",
        {
            "campaign": campaign,
            "columns": columns,
            "rows": rows,
            "page": page,
            "sort": sort,
            "query": _query(request),
            "computed_at": completion.computed_at(campaign=campaign),
            "can_refresh": can_manage_study(request.user),
        },
    )


@user_passes(can_oversee)
@require_GET
def completion_export(request):
    campaign = _campaign_or_none()
    if campaign is None:
        raise Http404
    columns = selectors.matrix_columns(user=request.user, campaign=campaign)
    computed = completion.computed_at(campaign=campaign)
    title = _("Study completion (%%), computed %(at)s") % {
        "at": timezone.localtime(computed).strftime("%Y-%m-%d %H:%M") if computed else "—"
    }
    return xlsx_response(
        filename=_("study-completion") + ".xlsx",
        sheet_title=_("Study completion"),
        title=title,
        headers=[_("Unit"), *[f"{c.label} {c.sub}".strip() for c in columns]],
        rows=selectors.matrix_export_rows(user=request.user, campaign=campaign, columns=columns),
        widths=[30, *[14] * len(columns)],
    )


@user_passes(can_oversee)
@require_GET
def completion_unit(request, pk):
    campaign = _campaign_or_none()
    if campaign is None:
        return render(request, NO_CAMPAIGN)
    unit = get_scoped_or_404(Unit.objects.all(), request.user, VIEW, pk=pk)
    if not oversight_scope(request.user).covers(unit):
        raise Http404
    people, phase = selectors.unit_cadres(user=request.user, campaign=campaign, unit=unit)
    page = paginate(request, people)
    kinds = completion.deliverable_kinds(campaign)
    for person in page:
        person.by_kind = [
            (item, [d for d in person.phase_deliverables if d.kind == item["key"]])
            for item in kinds
        ]
    cells = selectors.matrix_cells(campaign=campaign, units=[unit]).get(unit.pk, {})
    return _table(
        request,
        "study/completion_unit.html",
        {
            "unit": unit,
            "page": page,
            "phase": phase,
            "kinds": kinds,
            "figures": {k: cells.get(k) for k in selectors.SORT_FIXED[1:]},
            "query": _query(request),
        },
    )


@user_passes(can_manage_study)
@require_POST
def completion_refresh(request):
    campaign = _campaign_or_none()
    if campaign is None:
        raise Http404
    services.completion_refresh_later(campaign_id=campaign.pk)
    messages.success(request, _("The figures are being recomputed; reload the page in a moment."))
    return redirect("study:completion")


# Helpers


def _cell(figure):
    """(text, css class, tooltip) of a matrix cell, made here: rendering hundreds of cells
    through template filters costs more than the queries."""
    if figure is None:
        return ("—", "text-muted", "")
    title = f"{figure.done} / {figure.expected}" if figure.expected else ""
    return (f"{figure.rate:.1f}%", rate_class(figure.rate), title)


def _session_values(data):
    return {
        "kind": data["kind"],
        "sub_kind": data.get("sub_kind") or "",
        "title": data["title"],
        "unit": data["unit"],
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "place": data["place"],
        "speaker": data["speaker"],
        "topics": data["topics"],
        "description": data["description"],
        "sign_in_opens_before": data["sign_in_opens_before"],
        "audience_units": list(data["audience_units"]),
    }


def _add_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _saved_message(request, deliverable):
    if deliverable.state == Deliverable.State.SUBMITTED:
        messages.success(request, _("Submitted for review."))
    else:
        messages.success(request, _("Saved as a draft."))


def _sign_in_url(request, session):
    return request.build_absolute_uri(reverse("study:sign_in", args=[session.sign_in_token]))


def _qr_svg(url, scale=5):
    return segno.make(url, error="m").svg_inline(scale=scale, title=_("Sign-in code"))


def _file_response(field, name=None):
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=name or field.name.rsplit("/", 1)[-1])
