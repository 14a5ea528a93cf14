import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings")
application = get_wsgi_application()

# Import the views now (the URLconf, and with it WeasyPrint, pandas, folium: 1 to 3 s of imports) while the gunicorn
# worker boots, before it accepts requests, instead of during the first request that each worker serves.
get_resolver().url_patterns  # noqa: B018 - evaluated for its side effect (the imports)
