# Image for the web, worker, beat and migrate services of docker-compose.yml.
FROM python:3.11-slim

# PYTHONPATH: run the code from /app, next to templates/ and static/ (BASE_DIR is the
# parent of the alliance package), not the copy `pip install .` puts in site-packages.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

WORKDIR /app

RUN groupadd --system --gid 10001 alliance \
 && useradd --system --uid 10001 --gid alliance --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin alliance

# Dependencies first, from the lock file alone (exact versions, checked against their
# hashes: what CI tested is what runs), so code changes reuse this layer.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .
RUN pip install --no-deps . \
 && rm -rf build ./*.egg-info

# Static files and compiled translations are part of the image. The secret key is a
# throwaway that exists only for this command; the real one comes from the environment
# at run time.
RUN DJANGO_SECRET_KEY=build-only DJANGO_DEBUG=false ALLIANCE_VAR_DIR=/app/var \
        sh -c "python manage.py collectstatic --no-input && python manage.py compile_catalogues" \
 && mkdir -p var/media var/celery \
 && chown -R alliance:alliance var

USER alliance

EXPOSE 8000

CMD ["gunicorn", "alliance.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
