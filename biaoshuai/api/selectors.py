"""Reads for the token pages."""

from django.db.models import Count, Q

from .models import ApiToken


def api_token_list():
    """Every token, newest first, with its pushes and its webhook deliveries waiting (the
    opinions app keeps both, as `pushed` and `deliveries` of the token)."""
    return (
        ApiToken.objects.select_related("unit", "created_by")
        .annotate(
            push_count=Count("pushed", distinct=True),
            pending_count=Count(
                "deliveries",
                filter=Q(deliveries__state="pending"),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-id")
    )
