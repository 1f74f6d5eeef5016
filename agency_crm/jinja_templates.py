"""The Jinja2 environment of the layout every page shares and of the pages staff load all day.

Django's template language costs about a microsecond per variable, tag and filter, which made the
inbox spend two thirds of its time rendering fifty rows (README, Benchmarks). Jinja2 compiles a
template to Python once, so the layout (`base.jinja`), the inbox and the conversation page are
Jinja2 templates under `templates/jinja2/`; every other page stays in Django's language and
reaches the same layout through `{% jinja_layout %}` (agency_crm/templatetags/layout_tags.py).

What the templates may call mirrors what Django templates have:
- `_()`, `gettext()`, `ngettext()`, `pgettext()`: Django's catalogue, in the language of the request.
  Write `_("literal")` (formatting with `%` after it), so that `make messages` extracts it.
- `url(name, *args)`: `reverse`, remembered per URL (the layout alone reverses twenty names);
  `url_with_id(name)` for a link on every row of a long list: reversed once, `(id) -> URL`.
- `static(path)`, `htmx_script()`, `csrf_input` and `csrf_token` (from Django's backend).
- the filters of the template libraries named in the `filter_libraries` option, called as Django
  would call them (a moment arrives in the current time zone for `expects_localtime` filters),
  plus Django's `urlize`, `linebreaksbr`, `date` and `truncatechars`.
- the inclusion and simple tags of the libraries named in `tag_libraries`, as their functions
  (`{{ django_include("…/_panel.html", **panel(conversation)) }}` renders an inclusion tag's
  template with what its function returns); a tag that takes the context gets the page's.
Every value is escaped unless it is marked safe, as in Django templates.
"""

from __future__ import annotations

import functools
import importlib
import inspect

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.conf import settings
from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist, defaultfilters, engines
from django.template.backends import jinja2 as jinja2_backend
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import get_language, get_language_info, gettext, ngettext, npgettext, pgettext
from django_htmx.jinja import htmx_script
from jinja2 import ChainableUndefined, Environment, pass_context


class Backend(jinja2_backend.Jinja2):
    """Django's Jinja2 backend, whose templates have a `name` like Django's. While tests run,
    tests/conftest.py makes them send `template_rendered` (as Django's test setup does for its own
    templates), so tests read `response.context` of a Jinja2 page too."""

    def get_template(self, template_name):
        return Template(super().get_template(template_name).template, self)


class Template(jinja2_backend.Template):
    @property
    def name(self) -> str:
        return self.template.name


class FormRenderer(BaseRenderer):
    """Form widgets through Django's own Jinja2 widget templates (django/forms/jinja2: the same
    markup as its Django templates, in half the time: a <select> of six channels took 320 µs),
    and a widget that has only a Django template (the admin's) through Django's renderer."""

    def __init__(self):
        self.jinja2 = Jinja2()
        self.django = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)


def environment(
    *, filter_libraries: tuple[str, ...] | list[str] = (), tag_libraries: tuple[str, ...] | list[str] = (), **options
) -> Environment:
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    # Like Django templates, a missing value (`request.GET.q` without a `q`) renders as nothing,
    # with DEBUG on too (Django would show it as `{{ name }}`).
    options["undefined"] = ChainableUndefined
    # Every value is escaped unless marked safe, whatever the settings say (customer text is data).
    options.pop("autoescape", None)
    env = Environment(autoescape=True, **options)
    # Old-style callables: `_()` returns the translation and the template formats it with `%`,
    # so each string stays a plain `_("...")` call that `make messages` extracts.
    env.install_gettext_callables(gettext, ngettext, newstyle=False, pgettext=pgettext, npgettext=npgettext)
    env.globals.update(
        url=url,
        url_with_id=url_with_id,
        static=static,
        htmx_script=htmx_script,
        current_language=get_language,
        widget_attrs=widget_attrs,
        crispy_field=as_crispy_field,
        django_include=django_include,
        # The footer's language switch: each language named in itself (English, 한국어).
        languages=[(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES],
    )
    for library in filter_libraries:
        for name, function in importlib.import_module(library).register.filters.items():
            env.filters[name] = _as_django_calls(function)
    for library in tag_libraries:
        for name, compile_function in importlib.import_module(library).register.tags.items():
            if hasattr(compile_function, "__wrapped__"):  # the tag's own function (Library wraps it)
                env.globals[name] = _as_tag_call(inspect.unwrap(compile_function))
    env.filters.update(
        # Django's filters, not django.utils.html's functions: links get rel="nofollow" and the
        # result is marked safe, so `|linebreaksbr` after it does not escape the links again.
        urlize=lambda value: defaultfilters.urlize(value, autoescape=True),
        linebreaksbr=lambda value: defaultfilters.linebreaksbr(value, autoescape=True),
        date=lambda value, format_string=None: defaultfilters.date(_local(value), format_string),
        truncatechars=defaultfilters.truncatechars,
    )
    return env


def url(name: str, *args) -> str:
    """`{% url name args %}`: URLs are fixed while the process runs, so each is reversed once."""
    return _reverse(name, args, get_script_prefix(), get_urlconf())


# What `url_with_id` reverses with, then replaces: a number no URL prefix contains by chance.
_ID_MARK = 9081726354


def url_with_id(name: str):
    """`url(name, id)` for every row of a list: one reversal, then each row's id put in its place
    (a thousand messages would otherwise fill the cache of `url` with one URL each)."""
    head, tail = url(name, _ID_MARK).split(str(_ID_MARK))
    return lambda pk: f"{head}{pk}{tail}"


@functools.lru_cache(maxsize=4096)
def _reverse(name: str, args: tuple, prefix: str, urlconf) -> str:
    # `prefix` and `urlconf` are part of the key: the same name reverses differently under another
    # script prefix or URLconf.
    return reverse(name, args=args or None, urlconf=urlconf)


def django_include(template_name: str, **context):
    """`{% include %}` of a Django template (one a Django page or an htmx fragment also uses), with
    only the given context: no request, so no context processor runs again."""
    return engines["django"].get_template(template_name).render(context)


def widget_attrs(field, classes: str) -> dict:
    """The attributes crispy-forms gives a field's widget (templates/jinja2/forms.jinja): its
    Bootstrap classes, with `is-invalid` on an error. Django adds `aria-invalid` and
    `aria-describedby` (help text, then error) itself, as it does under crispy-forms."""
    own = field.field.widget.attrs.get("class", "")
    return {"class": " ".join(part for part in (classes, own, "is-invalid" if field.errors else "") if part)}


def _as_tag_call(function):
    """A template tag's function as a Jinja2 global. A tag registered with `takes_context` has
    `context` as its first parameter (Django insists on the name) and gets the page's context."""
    parameters = list(inspect.signature(function).parameters)
    if not parameters or parameters[0] != "context":
        return function

    @pass_context
    @functools.wraps(function)
    def with_context(context, *args, **kwargs):
        return function(context, *args, **kwargs)

    return with_context


def _local(value):
    return timezone.template_localtime(value) if hasattr(value, "tzinfo") else value


def _as_django_calls(function):
    """A Django filter as Django's template engine calls it: in local time, told to escape."""
    if getattr(function, "expects_localtime", False):

        @functools.wraps(function)
        def in_local_time(value, *args):
            return function(_local(value), *args)

        return in_local_time
    if getattr(function, "needs_autoescape", False):
        return functools.partial(function, autoescape=True)
    return function
