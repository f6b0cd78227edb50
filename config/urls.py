from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from config.api import api

urlpatterns = [
    path("", include("biaoshuai.core.urls")),
    # /healthz, /readyz and /metrics for load balancers and monitoring.
    path("", include("biaoshuai.ops.urls")),
    path("accounts/", include("biaoshuai.accounts.urls")),
    path("org/", include("biaoshuai.org.urls")),
    path("campaigns/", include("biaoshuai.campaigns.urls")),
    path("notifications/", include("biaoshuai.notifications.urls")),
    path("audit/", include("biaoshuai.audit.urls")),
    path("study/", include("biaoshuai.study.urls")),
    path("practice/", include("biaoshuai.practice.urls")),
    path("opinions/", include("biaoshuai.opinions.urls")),
    path("surveys/", include("biaoshuai.surveys.urls")),
    path("appraisal/", include("biaoshuai.appraisal.urls")),
    path("rectification/", include("biaoshuai.rectification.urls")),
    path("publicity/", include("biaoshuai.publicity.urls")),
    path("supervision/", include("biaoshuai.supervision.urls")),
    path("assessment/", include("biaoshuai.assessment.urls")),
    # The public portal: no login. Each app mounts its public pages under /portal/<app>/.
    path("portal/", include("biaoshuai.portal.urls")),
    path("portal/opinions/", include("biaoshuai.opinions.public_urls")),
    path("portal/surveys/", include("biaoshuai.surveys.public_urls")),
    path("portal/rectification/", include("biaoshuai.rectification.public_urls")),
    path("portal/publicity/", include("biaoshuai.publicity.public_urls")),
    path("portal/practice/", include("biaoshuai.practice.public_urls")),
    path("portal/supervision/", include("biaoshuai.supervision.public_urls")),
    path("api/v1/", api.urls),
    path("api-tokens/", include("biaoshuai.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "img/favicon.svg")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
