from django.apps import AppConfig


class DiagnosticConfig(AppConfig):
    name = "diagnostic"
    verbose_name = "Diagnostics"

    def ready(self):
        from diagnostic.questionnaire.selectors import agent_home
        from inclusion.accounts import home_panels
        from territories.hooks import on_data_changed

        home_panels.register(agent_home)
        on_data_changed(refresh_plans_after_import)


def refresh_plans_after_import(*, echo) -> None:
    """The open data changed: the plans' cached priorities depend on it, recompute them."""
    from diagnostic.plan.services import refresh_all_plans
    from territories.formatting import plural

    refreshed = refresh_all_plans()
    if refreshed:
        plans = plural(refreshed, "plan d'action existant", "plans d'action existants")
        echo(f"Priorités recalculées pour {plans}.")
