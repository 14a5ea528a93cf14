"""A form renderer that writes the simplest widgets in Python.

Django renders every widget through its template engine: `<input>` through input.html and attrs.html, about 0,2 ms a
widget here. A plan page renders 25 widgets, a questionnaire step up to 60 radio buttons, on every view. This renderer
writes the same markup directly for the templates whose whole content is one `<input>`, `<textarea>` or `<option>`,
and hands every other template (select, radio groups, labels, forms, fields…) to Django's own renderer.

The output is character for character Django's: tests/test_form_renderer.py renders every widget of the site's forms
both ways, with values and attributes that need escaping, and compares the strings. A Django upgrade that changes a
widget template makes that test fail instead of changing the pages silently.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html."""
    value = widget["value"]
    value_attr = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value_attr}{_attrs(widget['attrs'])}>"
    )


def _input_option(widget: dict) -> str | None:
    """django/forms/widgets/input_option.html (radio and checkbox options)."""
    if not widget.get("wrap_label"):
        return _input(widget)
    if not isinstance(widget["label"], str):
        return None  # {{ }} would localize a number: left to the template
    attrs = widget["attrs"]
    label_for = f' for="{conditional_escape(attrs["id"])}"' if attrs.get("id") else ""
    return f"<label{label_for}>{_input(widget)} {conditional_escape(widget['label'])}</label>"


def _textarea(widget: dict) -> str | None:
    """django/forms/widgets/textarea.html."""
    if widget["value"] and not isinstance(widget["value"], str):
        return None  # {{ }} would localize a number: left to the template
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select_option(widget: dict) -> str | None:
    """django/forms/widgets/select_option.html."""
    if not isinstance(widget["label"], str):
        return None  # {{ }} would localize a number: left to the template
    return (
        f'<option value="{conditional_escape(widget["value"])}"{_attrs(widget["attrs"])}>'
        f"{conditional_escape(widget['label'])}</option>"
    )


INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "email", "password", "number", "date", "datetime", "time", "url", "hidden", "search")
}
OPTION_TEMPLATES = {"django/forms/widgets/radio_option.html", "django/forms/widgets/checkbox_option.html"}
WRITERS = {
    **dict.fromkeys(INPUT_TEMPLATES, _input),
    **dict.fromkeys(OPTION_TEMPLATES, _input_option),
    "django/forms/widgets/input_option.html": _input_option,
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select_option.html": _select_option,
}


class FastWidgetRenderer(DjangoTemplates):
    """FORM_RENDERER: the widgets above in Python, everything else as Django renders it."""

    def render(self, template_name, context, request=None):
        writer = WRITERS.get(template_name)
        html = writer(context["widget"]) if writer is not None and "widget" in context else None
        if html is None:
            return super().render(template_name, context, request=request)
        return mark_safe(html)  # noqa: S308 - every piece above is escaped
