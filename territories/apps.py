from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "territories"
    verbose_name = "Territoires et données ouvertes"

    def ready(self):
        from django.tasks.signals import task_finished

        from territories.signals import close_interrupted_import

        task_finished.connect(close_interrupted_import, dispatch_uid="territories.close_interrupted_import")
