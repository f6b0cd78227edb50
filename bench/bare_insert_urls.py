"""URLs of bench/bare_insert.py: POST /insert (one row, nothing else), then the project's
(apps reverse some of theirs when they start)."""

import uuid

from django.http import JsonResponse
from django.urls import path
from django.utils import timezone

from config.urls import urlpatterns as project


def insert(request):
    from biaoshuai.core.models import SharedCounter

    row = SharedCounter.objects.create(key=f"bench:{uuid.uuid4().hex}", expires_at=timezone.now())
    return JsonResponse({"id": row.key}, status=201)


urlpatterns = [path("insert", insert), *project]
