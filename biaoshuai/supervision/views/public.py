from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from biaoshuai.core.paginate import paginate

from .. import selectors
from ..models import Bulletin
from .bulletins import bulletin_table, docx_response


@require_GET
def bulletin_list(request):
    page = paginate(request, selectors.bulletins_public(), per_page=20)
    return render(request, "supervision/public/bulletin_list.html", {"page": page, "query": ""})


@require_GET
def bulletin_detail(request, pk):
    bulletin = _public(pk)
    return render(
        request,
        "supervision/public/bulletin_detail.html",
        {"bulletin": bulletin, "table": bulletin_table(bulletin)},
    )


@require_GET
def bulletin_download(request, pk):
    return docx_response(_public(pk))


def _public(pk):
    try:
        return selectors.bulletins_public().get(pk=pk)
    except Bulletin.DoesNotExist as exc:
        raise Http404 from exc
