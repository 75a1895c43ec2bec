from django.apps import AppConfig


class SecrecyConfig(AppConfig):
    name = "gongkai.secrecy"
    label = "secrecy"
