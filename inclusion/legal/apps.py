from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "inclusion.legal"
    label = "legal"
    verbose_name = "Mentions légales et données personnelles"
