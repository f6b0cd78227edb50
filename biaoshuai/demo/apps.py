from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and benchmark data. Sits above every other app; nothing imports it."""

    name = "biaoshuai.demo"
    label = "demo"
    verbose_name = "Demo data"
