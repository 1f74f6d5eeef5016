"""Settings for the throughput benchmark's gunicorn: the project's own, plus one bare page."""

from agency_crm.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.throughput_urls"
