import pytest
from django.test import override_settings

from tests.jobs import tasks

DATABASE_BACKEND = {"default": {"BACKEND": "inclusion.jobs.backend.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def database_backend(tmp_path):
    """Tasks go to the database queue (production's backend); the heartbeat file lives in the test's folder."""
    tasks.CALLS.clear()
    with override_settings(TASKS=DATABASE_BACKEND, INCLUSION_WORKER_HEARTBEAT=tmp_path / "worker.heartbeat"):
        yield tmp_path / "worker.heartbeat"
