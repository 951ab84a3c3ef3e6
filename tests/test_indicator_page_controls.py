"""The indicator page's save forms render their controls without Django's widget templates
(tincay/assessments/views/controls.py): the HTML is the same, to the byte, as Django's renderer gives."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from tincay.assessments.forms import TRACK_FORMS
from tincay.assessments.views.controls import RENDERER
from tincay.common.templatetags.tincay import control

TRICKY = "a < b & \"c\" 'd'\nline two"


class Other(forms.Form):
    """Widgets the page does not use, and choices in groups: still the same HTML."""

    grouped = forms.ChoiceField(choices=[("A", [("1", "<one>"), ("2", "two")]), ("3", "three")])
    when = forms.DateField(widget=forms.DateInput)
    many = forms.MultipleChoiceField(choices=[("x", "x"), ("y", "y")], widget=forms.CheckboxSelectMultiple)
    safe = forms.CharField(widget=forms.TextInput(attrs={"data-x": mark_safe("<b>"), "hidden": True, "off": False}))


def _cases():
    for track, form_class in TRACK_FORMS.items():
        yield form_class, {"initial": {f"{track}_level": "green", "na": True, "narrative": TRICKY, "revision": 3}}
        yield form_class, {"initial": {f"{track}_value": 87.5, "scorer_comment": TRICKY}}
        data = {f"r1-{track}_level": "bogus", f"r1-{track}_value": "1,5<", "r1-na": "on", "r1-narrative": TRICKY}
        yield form_class, {"data": data}
    yield Other, {"initial": {"grouped": "2", "many": ["y"], "safe": TRICKY}}
    yield Other, {"data": {"r1-grouped": "1", "r1-when": "x<"}}


@pytest.mark.parametrize(("form_class", "kwargs"), list(_cases()))
def test_controls_are_the_html_of_django_widget_templates(form_class, kwargs):
    ours = form_class(prefix="r1", renderer=RENDERER, **kwargs)
    django = form_class(prefix="r1", renderer=DjangoTemplates(), **kwargs)
    if "data" in kwargs:
        ours.is_valid(), django.is_valid()
    for name in ours.fields:
        assert ours[name].as_widget() == django[name].as_widget()
        assert control(ours[name]) == control(django[name])
