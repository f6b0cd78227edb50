"""Reads for the token pages."""

from django.db.models import Count, Q

from .models import ApiToken, WebhookDelivery


def api_token_list():
    """Every token, newest first, with its pushes and its webhook deliveries waiting."""
    return (
        ApiToken.objects.select_related("unit", "created_by")
        .annotate(
            push_count=Count("pushed", distinct=True),
            pending_count=Count(
                "deliveries",
                filter=Q(deliveries__state=WebhookDelivery.State.PENDING),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-id")
    )
