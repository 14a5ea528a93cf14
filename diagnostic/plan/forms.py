"""The follow-up form of one measure (owner, target date, status, comment), with the version it was read at."""

from django import forms

from diagnostic.models import MeasureAction
from inclusion.inputs import BoundedDateField


class MeasureActionForm(forms.Form):
    owner = forms.CharField(
        label="Responsable",
        max_length=200,
        required=False,
        help_text="Une personne ou un service, par exemple « Secrétariat de mairie ».",
    )
    target_date = BoundedDateField(
        label="Échéance",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Format : jj/mm/aaaa.",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    status = forms.ChoiceField(label="État", choices=MeasureAction.Status.choices)
    comment = forms.CharField(
        label="Commentaire", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, measure: int, **kwargs):
        kwargs.setdefault("auto_id", f"m{measure}-%s")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text and not field.widget.is_hidden:
                field.widget.attrs["aria-describedby"] = f"m{measure}-{name}-aide"

    @classmethod
    def initial_for(cls, action: MeasureAction) -> dict:
        return {
            "owner": action.owner,
            "target_date": action.target_date,
            "status": action.status,
            "comment": action.comment,
            "version": action.version,
        }
