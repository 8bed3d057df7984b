# The portal's image: web (gunicorn), worker and beat all run from it (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 IMCS_ENV=production \
    VAR_DIR=/var/lib/imcs STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/var/lib/imcs/media

# Fonts and libraries for Chinese PDF reports; gettext to compile translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /app imcs

WORKDIR /app
COPY . .
# Editable install: the project runs from /app, where its templates, static files and locale live.
RUN pip install -c constraints.txt -e . \
 && IMCS_ENV=build VAR_DIR=/tmp/build python manage.py collectstatic --noinput -v0 \
 && IMCS_ENV=build VAR_DIR=/tmp/build python manage.py compilemessages -l zh_Hans -v0 \
 && mkdir -p /var/lib/imcs/media && chown -R imcs /var/lib/imcs

USER imcs
EXPOSE 8000
CMD ["gunicorn", "imcs_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--timeout", "60", "--access-logfile", "-"]
