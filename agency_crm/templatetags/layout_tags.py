"""`{% jinja_layout "base.jinja" %}…{% endjinja_layout %}`: a Django template's page in the Jinja2
layout (agency_crm/jinja_templates.py), so that both template languages share one layout.

The tag's body holds the layout's `{% block %}`s; child templates override them as usual, and
each block's output is handed to the Jinja2 layout as `slots.<block name>`, already escaped.
"""

from django import template
from django.template import engines
from django.template.loader_tags import BlockNode

register = template.Library()


class JinjaLayoutNode(template.Node):
    child_nodelists = ("nodelist",)  # so that {% extends %} finds the blocks inside

    def __init__(self, template_name, nodelist):
        self.template_name = template_name
        self.nodelist = nodelist

    def render(self, context):
        slots = {node.name: node.render(context) for node in self.nodelist if isinstance(node, BlockNode)}
        layout = engines["jinja2"].get_template(self.template_name.resolve(context))
        return layout.render({"slots": slots}, getattr(context, "request", None))


@register.tag
def jinja_layout(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% jinja_layout %} takes the layout's template name.")
    nodelist = parser.parse(("endjinja_layout",))
    parser.delete_first_token()
    return JinjaLayoutNode(parser.compile_filter(bits[1]), nodelist)
