from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tincay.api"
    label = "api"
    verbose_name = "API"
