"""The WSGI application gunicorn serves: Hive, behind the gate that answers an open tab's poll with
nothing new before Django's request handling (feed/live_gate.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

from feed.live_gate import LivePollGate  # noqa: E402  (needs the apps loaded)

application = LivePollGate(django_application)
