import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings")
application = get_wsgi_application()

from inclusion.release import code_digest  # noqa: E402 - after the settings are configured


def compile_templates() -> int:
    """Compile the site's own templates into Django's cached template loader; return how many.

    Under `gunicorn --preload` (the Dockerfile, the benches' server) this runs once in the master process and every
    worker forked from it starts with the compiled templates, instead of compiling each one during its first requests.
    """
    from django.conf import settings
    from django.template import engines
    from django.template.utils import get_app_template_dirs

    engine = engines["django"]
    root = settings.BASE_DIR.resolve()
    folders = [Path(folder) for folder in engine.dirs] + [
        folder for folder in map(Path, get_app_template_dirs("templates")) if folder.resolve().is_relative_to(root)
    ]
    compiled = 0
    for folder in folders:
        for path in sorted(folder.rglob("*.html")):
            engine.get_template(path.relative_to(folder).as_posix())
            compiled += 1
    return compiled


# Import the views now (the URLconf, and with it WeasyPrint, folium, shapely: 1 to 3 s of imports) and compile the
# templates while the server boots, before it accepts requests, instead of during the first requests it serves.
get_resolver().url_patterns  # noqa: B018 - evaluated for its side effect (the imports)
compile_templates()
code_digest()  # read once in the master process (inclusion.release)
