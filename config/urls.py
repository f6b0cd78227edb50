from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", include("biaoshuai.core.urls")),
    path("accounts/", include("biaoshuai.accounts.urls")),
    path("org/", include("biaoshuai.org.urls")),
    path("campaigns/", include("biaoshuai.campaigns.urls")),
    path("audit/", include("biaoshuai.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "img/favicon.svg")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
