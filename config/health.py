"""/healthz for load balancers: 200 when the database and the broker answer, 503 naming what does not.

Anyone can call it, so the answer names the failing check only; the error itself goes to the log.
"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.celery import app as celery_app

log = logging.getLogger(__name__)
UNREACHABLE = "unreachable"


def _database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "not reachable" to the caller
        log.exception("healthz: database check failed")
        return UNREACHABLE
    return None


def _broker() -> str | None:
    if settings.CELERY_TASK_ALWAYS_EAGER and not settings.REDIS_URL:
        return None  # no broker configured: tasks run in-process
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        log.exception("healthz: broker check failed")
        return UNREACHABLE
    return None


@login_not_required
@never_cache
@require_safe
def healthz(request):
    checks = {"database": _database(), "broker": _broker()}
    failing = {name: error for name, error in checks.items() if error}
    body = {"status": "ok" if not failing else "unavailable", "failing": failing}
    body["checks"] = {name: ("ok" if not error else "failing") for name, error in checks.items()}
    return JsonResponse(body, status=503 if failing else 200)
