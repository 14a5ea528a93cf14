"""French plurals: 0 and 1 take the singular ("0 jour", "1 jour", "2 jours"), unlike Django's `pluralize`."""

from django import template

register = template.Library()


@register.filter
def fr_plural(value, suffixes: str = "s") -> str:
    """`{{ n }} jour{{ n|fr_plural }}`; `{{ n|fr_plural:"al,aux" }}` for irregular forms."""
    singular, _, plural = suffixes.rpartition(",") if "," in suffixes else ("", "", suffixes)
    try:
        many = abs(int(value)) > 1
    except (TypeError, ValueError):
        many = len(value) > 1
    return plural if many else singular
