from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tincay.demo"
    label = "demo"
    verbose_name = "Demo data"
