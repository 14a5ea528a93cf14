# Production image: the site under gunicorn (CMD), also the worker and the purge of docker-compose.yml.
# docker/entrypoint.sh waits for the database, migrates, loads the open data at first start, then runs the command.
FROM python:3.13-slim-bookworm

# Collected static files outside var/: var/ is a volume (docker-compose.yml), which would keep serving the static
# files of the image that created it after an upgrade.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles

# Pango for WeasyPrint (PDF), fonts for the PDF and the maps.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml constraints.txt ./
RUN pip install --no-cache-dir -c constraints.txt -e .
COPY . .
RUN pip install --no-cache-dir -c constraints.txt --no-deps -e . \
    && SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 app && mkdir -p /app/var && chown -R app /app/var
USER app

EXPOSE 8000
ENTRYPOINT ["/app/docker/entrypoint.sh"]
# Processes, threads, keep-alive and preload: docker/gunicorn.conf.py (WEB_CONCURRENCY, GUNICORN_THREADS).
CMD ["gunicorn", "inclusion.wsgi", "--config", "docker/gunicorn.conf.py"]
