"""inclusion.forms.FastWidgetRenderer writes exactly what Django's widget templates write (made-up values)."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from inclusion.forms import WRITERS, FastWidgetRenderer

TRICKY = ['a "quoted" <b>value</b> & more', mark_safe("<i>déjà sûr</i>"), "", "0", "l'apostrophe"]
ATTRS = [
    {},
    {"id": "m1-owner", "aria-describedby": "m1-owner-aide", "maxlength": 200, "required": True, "disabled": False},
    {"id": 'x"y', "data-x": mark_safe("<safe>"), "placeholder": "jj/mm/aaaa", "class": "a & b"},
]
CHOICES = [("", "---------"), ("a&b", "A & B"), ("<x>", mark_safe("<em>sûr</em>")), (3, "trois"), (4, 4000)]


def widgets():
    yield forms.TextInput()
    yield forms.EmailInput()
    yield forms.PasswordInput(render_value=True)
    yield forms.NumberInput()
    yield forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    yield forms.HiddenInput()
    yield forms.Textarea(attrs={"rows": 3})
    yield forms.Select(choices=CHOICES)
    yield forms.RadioSelect(choices=CHOICES)
    yield forms.CheckboxSelectMultiple(choices=CHOICES)
    yield forms.CheckboxInput()


@pytest.mark.parametrize("widget", list(widgets()), ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("attrs", ATTRS, ids=["no-attrs", "aria", "escaping"])
def test_every_widget_is_written_as_django_writes_it(widget, attrs):
    values = [None, *TRICKY, 12, 4.5]
    if isinstance(widget, (forms.Select, forms.RadioSelect)):
        values += ["a&b", "<x>", 3]
    if isinstance(widget, forms.CheckboxSelectMultiple):
        values = [None, [], ["a&b", "<x>"], [3]]
    for value in values:
        expected = widget.render("champ", value, attrs=dict(attrs), renderer=DjangoTemplates())
        assert widget.render("champ", value, attrs=dict(attrs), renderer=FastWidgetRenderer()) == expected


def test_every_written_template_exists_in_django():
    renderer = DjangoTemplates()
    for name in WRITERS:
        assert renderer.get_template(name) is not None


def _without_tokens(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'name="page_id" value="[^"]+"', "", html)  # a new id per page opened
    return re.sub(r'nonce="[^"]+"', "", html)


@pytest.mark.django_db
def test_plan_and_questionnaire_pages_are_identical_with_either_renderer(client, settings):
    from tests.factories import build_world, enrich

    world = enrich(build_world())
    client.force_login(world.agent)
    urls = [f"/diagnostics/{world.diagnostic.pk}/plan/"] + [
        f"/diagnostics/{world.diagnostic.pk}/etapes/{n}/" for n in range(1, 6)
    ]
    pages = {}
    for renderer in ("django.forms.renderers.DjangoTemplates", "inclusion.forms.FastWidgetRenderer"):
        settings.FORM_RENDERER = renderer
        pages[renderer] = [_without_tokens(client.get(url).text) for url in urls]
    assert pages["django.forms.renderers.DjangoTemplates"] == pages["inclusion.forms.FastWidgetRenderer"]
    assert all("<input" in page for page in pages["inclusion.forms.FastWidgetRenderer"])
