"""API: push opinions (a 12345 hotline platform), read their status, reply and counts.

Pushing is safe to retry: with an `Idempotency-Key` header the same key always gives the
same opinion (see intake.opinion_push).
"""

from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.utils import timezone
from ninja import Header, Router, Status

from biaoshuai.api import errors
from biaoshuai.api.common import (
    CURSOR_PARAM,
    ERRORS,
    KEY_PARAM,
    LIMIT_PARAM,
    UNIT_PARAM,
    Date,
    Id,
    Problem,
    call_record,
    check_not_before_campaign,
    principal,
    require_scope,
    token_of,
    unit_ref,
)
from biaoshuai.api.pagination import page
from biaoshuai.campaigns.api import campaign_or_current
from biaoshuai.core.scope import VIEW
from biaoshuai.org.api import unit_in_scope

from .intake import DuplicateExternalId, IdempotencyConflict, opinion_push
from .metrics import can_manage_opinions, can_view_opinions
from .models import Opinion
from .schemas import OpinionCounts, OpinionIn, OpinionOut, OpinionPage, OpinionPushOut
from .services import API_CHANNEL_OFF, opinion_record

router = Router(tags=["opinions"])
State = Literal[tuple(Opinion.State.values)]


@router.post(
    "",
    response={201: OpinionPushOut, 409: Problem, **ERRORS},
    summary="Push an opinion",
)
def opinion_create(
    request,
    response: HttpResponse,
    payload: OpinionIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=200,
        description="Retries with the same key give the same opinion, never a duplicate",
    ),
):
    # A session records opinions where the page does: the campaign office.
    require_scope(request, "opinions:write", page=can_manage_opinions)
    token, who = token_of(request), principal(request)
    if idempotency_key is not None and ("\x00" in idempotency_key or not idempotency_key.strip()):
        raise errors.invalid_fields({"Idempotency-Key": errors.INVALID_INPUT})
    campaign = campaign_or_current()
    check_not_before_campaign("received_on", payload.received_on, campaign)
    channel = payload.channel or campaign.channel_for("api")
    if not channel:
        raise errors.invalid_fields({"channel": str(API_CHANNEL_OFF)})
    unit_concerned = unit_in_scope(request, payload.unit_concerned)
    if unit_concerned is None and token is not None and token.unit_id is not None:
        unit_concerned = token.unit
    data = payload.dict()

    def take_in():
        return opinion_record(
            by=None if token is not None else who,
            campaign=campaign,
            channel=channel,
            received_on=payload.received_on or timezone.localdate(),
            content=payload.content,
            unit_concerned=unit_concerned,
            is_anonymous=payload.is_anonymous,
            name=payload.name,
            phone=payload.phone,
            email=payload.email,
        )

    try:
        status, body, replayed = opinion_push(
            token=token,
            by=who,
            key=(idempotency_key or "").strip(),
            data=data,
            take_in=take_in,
            record_call=lambda status: call_record(request, status),
        )
    except IdempotencyConflict as exc:
        raise errors.ApiError(409, "idempotency_conflict", errors.IDEMPOTENCY_CONFLICT) from exc
    except DuplicateExternalId as exc:
        raise errors.ApiError(
            409,
            "duplicate_external_id",
            errors.DUPLICATE_EXTERNAL_ID,
            extra={"id": exc.opinion_id},
        ) from exc
    except ValidationError as exc:
        raise errors.invalid_fields(_messages(exc)) from exc
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(status, body)


@router.get("", response={200: OpinionPage, **ERRORS}, summary="Opinions in scope")
def opinion_list(
    request,
    state: State | None = None,
    channel: str | None = KEY_PARAM,
    unit: Id | None = UNIT_PARAM,
    received_from: Date | None = None,
    received_to: Date | None = None,
    cursor: str | None = CURSOR_PARAM,
    limit: int = LIMIT_PARAM,
):
    """Oldest first by creation; keep `next_cursor` to receive later only what is new."""
    require_scope(request, "opinions:read", page=can_view_opinions)
    opinions = _filtered(request, state, channel, unit, received_from, received_to)
    rows, next_cursor = page(
        opinions.select_related("unit", "unit_concerned", "api_push"), cursor=cursor, limit=limit
    )
    token = token_of(request)
    return {"items": [_out(o, token) for o in rows], "next_cursor": next_cursor}


@router.get("/counts", response={200: OpinionCounts, **ERRORS}, summary="Opinion counts")
def opinion_counts(
    request,
    unit: Id | None = None,
    received_from: Date | None = None,
    received_to: Date | None = None,
):
    require_scope(request, "opinions:read", page=can_view_opinions)
    opinions = _filtered(request, None, None, unit, received_from, received_to)
    today = timezone.localdate()
    overdue = opinions.filter(state__in=Opinion.WAITING_FOR_UNIT, deadline__lt=today).count()
    by_state = dict(opinions.order_by().values_list("state").annotate(n=Count("pk")))
    by_channel = dict(opinions.order_by().values_list("channel").annotate(n=Count("pk")))
    return {
        "all": sum(by_state.values()),
        "overdue": overdue,
        "by_state": {state: by_state.get(state, 0) for state in Opinion.State.values},
        "by_channel": by_channel,
    }


@router.get("/{opinion_id}", response={200: OpinionOut, **ERRORS}, summary="An opinion's status")
def opinion_detail(request, opinion_id: Id):
    """Its state and, once published, the reply. A token also sees what it pushed itself."""
    require_scope(request, "opinions:read", page=can_view_opinions)
    opinion = (
        _visible(request)
        .select_related("unit", "unit_concerned", "api_push")
        .filter(pk=opinion_id)
        .first()
    )
    if opinion is None:
        raise errors.not_found()
    return _out(opinion, token_of(request))


def _visible(request):
    opinions = Opinion.objects.restrict(principal(request), VIEW)
    token = token_of(request)
    if token is not None:
        opinions = opinions | Opinion.objects.filter(api_push__token=token)
    return opinions


def _filtered(request, state, channel, unit, received_from, received_to):
    opinions = _visible(request).filter(campaign=campaign_or_current())
    if state:
        opinions = opinions.filter(state=state)
    if channel:
        opinions = opinions.filter(channel=channel)
    if unit is not None:
        opinions = opinions.filter(unit__path__subtree=unit_in_scope(request, unit).path)
    if received_from:
        opinions = opinions.filter(received_on__gte=received_from)
    if received_to:
        opinions = opinions.filter(received_on__lte=received_to)
    return opinions


def _out(opinion, token):
    push = getattr(opinion, "api_push", None) if _has_push(opinion) else None
    own = token is not None and push is not None and push.token_id == token.pk
    published = opinion.reply_published_at is not None
    return {
        "id": opinion.pk,
        "external_id": push.external_id if own else "",
        "channel": opinion.channel,
        "received_on": opinion.received_on,
        "state": opinion.state,
        "unit": unit_ref(opinion.unit),
        "unit_concerned": unit_ref(opinion.unit_concerned),
        "dimension": opinion.dimension,
        "deadline": opinion.deadline,
        "is_overdue": opinion.is_overdue,
        "content": opinion.content if own else None,
        "summary": opinion.summary,
        "reply": opinion.reply if published else None,
        "reply_published_at": opinion.reply_published_at,
        "closed_at": opinion.closed_at,
        "created_at": opinion.created_at,
    }


def _has_push(opinion):
    try:
        opinion.api_push  # noqa: B018
    except Opinion.api_push.RelatedObjectDoesNotExist:
        return False
    return True


def _messages(exc):
    if hasattr(exc, "message_dict"):
        return {field: " ".join(messages) for field, messages in exc.message_dict.items()}
    return {"__all__": " ".join(exc.messages)}
