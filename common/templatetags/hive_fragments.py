"""{% fragment "name" value ... [unless condition] %}...{% endfragment %}: a part of a page rendered once
per process for each key (the name and the values given) and reused, with the request's CSRF token put
in (common/fragments.py). With `unless`, the body is rendered afresh whenever the condition is true (a
form that came back with the person's input and its errors)."""

from django import template

from common.fragments import fragment_render

register = template.Library()


class FragmentNode(template.Node):
    def __init__(
        self,
        nodelist: template.NodeList,
        key: list[template.base.FilterExpression],
        unless: template.base.FilterExpression | None,
    ) -> None:
        self.nodelist = nodelist
        self.key = key
        self.unless = unless

    def render(self, context: template.Context) -> str:
        if self.unless is not None and self.unless.resolve(context):
            return self.nodelist.render(context)
        # The template's name keeps two templates' fragments of the same name apart.
        key = (self.origin.name, *(part.resolve(context) for part in self.key))
        return fragment_render(context, self.nodelist, key)


@register.tag
def fragment(parser: template.base.Parser, token: template.base.Token) -> FragmentNode:
    bits = token.split_contents()[1:]
    unless = None
    if len(bits) >= 2 and bits[-2] == "unless":
        unless = parser.compile_filter(bits[-1])
        bits = bits[:-2]
    if not bits:
        raise template.TemplateSyntaxError("{% fragment %} needs a name, then the values its body shows.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits], unless)
