"""Public pages of publicity on the portal (no login): news and exemplars.

They show `.public()` records only: 向社会公开 and published.
"""

import mimetypes

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from biaoshuai.core.paginate import paginate

from .. import selectors
from ..cache import portal_cached
from ..models import Exemplar
from .common import query_without_page

NEWS_PER_PAGE = 12
IMAGE_MAX_AGE = 60


@require_GET
@portal_cached
def news_list(request):
    q = request.GET.get("q", "").strip()[:50]
    page = paginate(request, selectors.news_public(q=q), per_page=NEWS_PER_PAGE)
    return render(
        request,
        "publicity/public/news_list.html",
        {"page": page, "q": q, "query": query_without_page(request)},
    )


@require_GET
@portal_cached
def news_detail(request, pk):
    article = selectors.news_public_detail(pk=pk)
    if article is None:
        raise Http404
    return render(
        request,
        "publicity/public/news_detail.html",
        {"article": article, "blocks": _blocks(article), "latest": selectors.news_public_latest()},
    )


@require_GET
def news_image(request, pk, image_pk=None):
    """A public article's cover or image; 404 for anything not public."""
    file = selectors.news_public_image(article_pk=pk, image_pk=image_pk)
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={IMAGE_MAX_AGE}"
    return response


@require_GET
@portal_cached
def exemplar_list(request):
    kind = request.GET.get("kind", "")
    if kind not in Exemplar.Kind.values:
        kind = ""
    page = paginate(request, selectors.exemplars_public(kind=kind), per_page=NEWS_PER_PAGE)
    return render(
        request,
        "publicity/public/exemplar_list.html",
        {
            "page": page,
            "kind": kind,
            "kinds": Exemplar.Kind.choices,
            "query": query_without_page(request),
        },
    )


@require_GET
@portal_cached
def exemplar_detail(request, pk):
    exemplar = selectors.exemplar_public_detail(pk=pk)
    if exemplar is None:
        raise Http404
    return render(request, "publicity/public/exemplar_detail.html", {"exemplar": exemplar})


def _blocks(article):
    """The body as ("p", text) and ("img", image) blocks: "[图N]" places the N-th image."""
    images = list(article.images.all())
    placed, blocks = set(), []
    for paragraph in article.paragraphs():
        marker = paragraph.strip()
        if marker.startswith("[图") and marker.endswith("]") and marker[2:-1].isdigit():
            index = int(marker[2:-1]) - 1
            if 0 <= index < len(images):
                blocks.append(("img", images[index]))
                placed.add(index)
            continue
        blocks.append(("p", paragraph))
    blocks += [("img", image) for i, image in enumerate(images) if i not in placed]
    return blocks
