# One image for every role: web (gunicorn), worker (`fieldcheck worker`) and migrations.
#   web:     gunicorn -c python:server.web.gunicorn_conf "server:create_app()"
#   worker:  fieldcheck worker
#   migrate: fieldcheck db upgrade

FROM python:3.11-slim-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml setup.cfg README.md ./
COPY server ./server
COPY forms ./forms
COPY worker ./worker
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim-bookworm
# A Java runtime runs ODK Validate (shipped inside pyxform) on every form upload.
RUN apt-get update \
 && apt-get install -y --no-install-recommends default-jre-headless \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 1000 --home-dir /var/lib/fieldcheck --create-home fieldcheck
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER fieldcheck
WORKDIR /var/lib/fieldcheck
ENV FIELDCHECK_INSTANCE=/var/lib/fieldcheck/instance \
    MEDIA_ROOT=/var/lib/fieldcheck/media \
    PYTHONUNBUFFERED=1 \
    FIELDCHECK_PROXY_FIX=1
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
CMD ["gunicorn", "-c", "python:server.web.gunicorn_conf", "--access-logfile", "-", "server:create_app()"]
