"""The project's URLs plus the practice portal page, mounted as config/urls.py should mount it
(at portal/practice/); once the project mounts it, this adds nothing."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

_mounted = any(getattr(p, "namespace", None) == "practice_public" for p in project_urlpatterns)

urlpatterns = [*project_urlpatterns]
if not _mounted:
    urlpatterns.append(path("portal/practice/", include("biaoshuai.practice.public_urls")))
