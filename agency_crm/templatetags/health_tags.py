"""The lag figures of /healthz on the admin's front page (templates/admin/index.html)."""

from django import template

from .. import health

register = template.Library()


@register.simple_tag
def health_lag_report():
    return health.lag_report()
