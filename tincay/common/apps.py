from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "tincay.common"
    label = "common"
