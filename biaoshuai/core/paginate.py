from django.core.paginator import Paginator

DEFAULT_PER_PAGE = 25


def paginate(request, queryset, per_page=DEFAULT_PER_PAGE, count=None):
    """The requested page of `queryset`; a bad page number gives the nearest valid page.

    `count`, when the caller already knows how many rows there are (a counter or a grouped
    count it shows anyway), spares the paginator its own COUNT(*)."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.__dict__["count"] = count  # Paginator.count is a cached property
    return paginator.get_page(request.GET.get("page"))
