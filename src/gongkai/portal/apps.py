from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"

    def ready(self):
        from gongkai.core.demo_steps import register_demo_step

        from .demo import load_demo

        register_demo_step("英文版（演示）", load_demo)
