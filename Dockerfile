# Production image: gunicorn (web), Celery worker and Celery beat all run from this image.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# collectstatic needs a SECRET_KEY to import settings; this one is thrown away with the layer.
RUN SECRET_KEY=collectstatic-only DEBUG=false python manage.py collectstatic --noinput
RUN useradd --create-home gonggam && mkdir -p /app/var && chown -R gonggam /app/var
USER gonggam
EXPOSE 8000
CMD ["gunicorn", "agency_crm.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
