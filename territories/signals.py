"""Receivers of the Tasks framework's signals (connected in TerritoriesConfig.ready()).

territories knows only django.tasks, never the backend that runs its tasks: whichever backend reports that
`run_import` failed outside its own error handling (an unexpected error, or a background worker that stopped and
whose task was marked failed at the next start), the ImportRun is closed with a French message instead of staying
"en cours" forever.
"""

from __future__ import annotations

import logging

from django.tasks.base import TaskResultStatus

logger = logging.getLogger("territories.imports")

RUN_IMPORT = "territories.tasks.run_import"


def close_interrupted_import(sender, task_result, **kwargs) -> None:
    if task_result.task.module_path != RUN_IMPORT or task_result.status != TaskResultStatus.FAILED:
        return
    from territories import services

    run_id = task_result.kwargs.get("run_id")
    if run_id is not None and services.mark_import_interrupted(run_id=run_id):
        error = task_result.errors[-1].exception_class_path if task_result.errors else "?"
        logger.error("import %s interrupted: task %s failed (%s)", run_id, task_result.id, error)
