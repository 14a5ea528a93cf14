from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "inclusion.jobs"
    label = "jobs"
    verbose_name = "Tâches en arrière-plan"
