"""French plurals: 0 and 1 take the singular ("0 jour", "1 jour", "2 jours"), unlike Django's `pluralize`."""

from django import template

from territories.formatting import is_plural  # the one French plural rule (counts and numbers: territories/fr.py)

register = template.Library()


@register.filter
def fr_plural(value, suffixes: str = "s") -> str:
    """`{{ n }} jour{{ n|fr_plural }}`; `{{ n|fr_plural:"al,aux" }}` for irregular forms."""
    singular, _, plural = suffixes.rpartition(",") if "," in suffixes else ("", "", suffixes)
    try:
        count = int(value)
    except (TypeError, ValueError):
        count = len(value)
    return plural if is_plural(count) else singular
