import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accompagnement.settings.base")

application = get_wsgi_application()

if settings.WARM_UP_ON_START:
    from core.warmup import warm_up

    warm_up()
