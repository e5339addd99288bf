"""Server-error pages: a database that is restarting gets a short "back in a moment" page, not a 500.

Django calls handler500 while the exception is being handled, so sys.exc_info() says what failed. The
pages are rendered without a request context: with the database away, nothing may query it.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

log = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def server_error(request) -> HttpResponse:
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        log.warning("database unavailable: answered 503 for %s", request.path)
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)
