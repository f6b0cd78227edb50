from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from biaoshuai.publicity.cache import portal_cached

from . import selectors


@require_GET
@portal_cached
def home(request):
    """The portal's front page: the campaign's column header, latest news, the sections
    other apps registered, and figures counted from public records only."""
    context = selectors.home_build(request)
    # Every campaign with a public column, each linking to its own (`?campaign=<id>`).
    context["campaigns"] = getattr(request, "campaigns", None) and request.campaigns.public
    return render(request, "portal/home.html", context)


@require_GET
@portal_cached
def column(request):
    """The campaign's column (专栏): what the campaign is, its reference content, its phases."""
    context = selectors.column_build()
    if context is None:
        raise Http404
    return render(request, "portal/column.html", context)


class NewsFeed(Feed):
    """Atom feed of the campaign's public news."""

    feed_type = Atom1Feed
    title = gettext_lazy("Campaign news")
    subtitle = gettext_lazy("What the campaign does, in the open.")

    def link(self):
        return reverse("portal:home")

    def items(self):
        return selectors.feed_items()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        if item.summary:
            return item.summary
        paragraphs = item.paragraphs()
        return paragraphs[0] if paragraphs else ""

    def item_link(self, item):
        # The article's campaign in the link, so it opens whichever campaign a reader follows.
        url = reverse("publicity_public:news_detail", args=[item.pk])
        return f"{url}?campaign={item.campaign_id}"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.unit.name

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Content-Type"] = "application/atom+xml; charset=utf-8"
        return response


feed = require_GET(portal_cached(NewsFeed()))
