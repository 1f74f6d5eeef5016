# Production image: gunicorn (web), Celery worker and Celery beat all run from this image.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
# pg_dump, pg_restore and psql for scripts/backup.sh and scripts/restore.sh.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# collectstatic needs a SECRET_KEY to import settings; this one is thrown away with the layer.
RUN SECRET_KEY=collectstatic-only DEBUG=false python manage.py collectstatic --noinput
# var/media exists in the image so the media volume mounted there starts out owned by gonggam.
RUN useradd --create-home gonggam && mkdir -p /app/var/media && chown -R gonggam /app/var
USER gonggam
EXPOSE 8000
CMD ["gunicorn", "agency_crm.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
