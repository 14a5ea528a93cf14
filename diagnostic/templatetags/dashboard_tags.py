"""Template tags of the dashboard, the "dashboard_tags" library of the diagnostic app.

They let the plan page (built by the plan team) include the dashboard's partials with nothing more than the
diagnostic already in its context:

    {% include "diagnostic/dashboard/_reviews.html" %}
    {% include "diagnostic/dashboard/_similar.html" %}

The plan view has already checked that the user may see `diagnostic`.
"""

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import json_script

from diagnostic import access
from diagnostic.dashboard.classes import ifn_class_of
from diagnostic.dashboard.selectors.similar import similar_communes
from diagnostic.measures import MEASURE_BY_NUMBER
from diagnostic.models import ReviewComment

register = template.Library()


class CompactJSONEncoder(DjangoJSONEncoder):
    """JSON without the blanks after "," and ":" (a dashboard map's data: ~9 000 of them for 900 communes)."""

    def __init__(self, *args, **kwargs):
        kwargs["separators"] = (",", ":")
        super().__init__(*args, **kwargs)


@register.filter
def compact_json_script(value, element_id):
    """Django's json_script (the same escaping of <, > and &), written compactly."""
    return json_script(value, element_id, encoder=CompactJSONEncoder)


@register.simple_tag
def reviews_of(diagnostic):
    """The review comments of a diagnostic, newest first."""
    if diagnostic is None:
        return []
    return list(ReviewComment.objects.filter(diagnostic=diagnostic).select_related("author__hub"))


@register.simple_tag(takes_context=True)
def can_review(context, diagnostic) -> bool:
    request = context.get("request")
    if diagnostic is None or request is None:
        return False
    return access.can(request.user, diagnostic, access.REVIEW)


@register.simple_tag
def similar_to(diagnostic):
    if diagnostic is None:
        return {}
    return similar_communes(diagnostic.commune)


@register.filter
def ifn_class(total):
    return ifn_class_of(total)


@register.filter
def measure_short(number):
    measure = MEASURE_BY_NUMBER.get(number)
    return measure.short_title if measure else number


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None
