from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "territories"
    verbose_name = "Territoires et données ouvertes"

    def ready(self):
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_delete, post_save
        from django.tasks.signals import task_finished

        from territories import selectors
        from territories.models import DataSource
        from territories.signals import close_interrupted_import

        task_finished.connect(close_interrupted_import, dispatch_uid="territories.close_interrupted_import")
        # data_version() read once per request (territories.selectors)
        request_started.connect(selectors.start_request_memo, dispatch_uid="territories.start_request_memo")
        request_finished.connect(selectors.end_request_memo, dispatch_uid="territories.end_request_memo")
        for name, signal in (("save", post_save), ("delete", post_delete)):
            uid = f"territories.forget_data_version_{name}"
            signal.connect(selectors.forget_data_version, sender=DataSource, dispatch_uid=uid)
