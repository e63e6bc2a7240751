"""The API's JSON parser: DRF's, with a bound on nesting.

Python's json module recurses once per level of nesting: a body of a thousand "[" raises
RecursionError, which DRF does not catch (SPEC §10: never a 500). Bodies of this API are flat
objects, so anything nested deeper than MAX_DEPTH is refused as a parse error (400) too, before
any serializer or validator walks it.
"""

from django.utils.translation import gettext_lazy
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32
TOO_DEEP = gettext_lazy("The JSON body is nested too deeply: at most %(depth)d levels of arrays and objects.")


def depth_of(value) -> int:
    """How many arrays and objects are nested in a parsed JSON value (a scalar is 0), walked
    without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP % {"depth": MAX_DEPTH}) from None
        if depth_of(data) > MAX_DEPTH:
            raise ParseError(TOO_DEEP % {"depth": MAX_DEPTH})
        return data
