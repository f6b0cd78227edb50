from django.conf import settings


def environment(request):
    """`demo_environment`: the base templates show the "演示环境" banner on every page."""
    return {"demo_environment": settings.ENVIRONMENT == "demo"}
