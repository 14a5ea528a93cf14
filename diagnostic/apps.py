from django.apps import AppConfig


class DiagnosticConfig(AppConfig):
    name = "diagnostic"
    verbose_name = "Diagnostics"

    def ready(self):
        from diagnostic.questionnaire.selectors import agent_home
        from inclusion.accounts import home_panels

        home_panels.register(agent_home)
