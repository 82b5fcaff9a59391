"""The forms on which an authority keeps its statement and a school its offer. They parse what
was typed; the services (public_information_services.py) decide what is allowed."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagewise.fields import LimitedCharField
from stagewise.organisations.public_information_models import (
    AuthorityStatement,
    ProvisionItem,
    SchoolOffer,
)
from stagewise.plausible import limit_of
from stagewise.policy import NationPolicy


def _text(model: type, field: str, label: Any, **kwargs: Any) -> LimitedCharField:
    return LimitedCharField(
        label=label,
        max_length=limit_of(model, field),
        widget=forms.Textarea(attrs={"rows": 5}),
        **kwargs,
    )


def _optional(model: type, field: str, label: Any, **kwargs: Any) -> LimitedCharField:
    return _text(model, field, label, required=False, **kwargs)


class AuthorityStatementForm(forms.Form):
    """Every section is optional: an authority may publish what it has written so far."""

    how_to_ask = _optional(
        AuthorityStatement,
        "how_to_ask",
        _("How to ask for help"),
        help_text=_(
            "How a family or young person asks the school or the authority for help, and whom "
            "to contact first."
        ),
    )
    how_to_ask_cy = _optional(
        AuthorityStatement, "how_to_ask_cy", _("How to ask for help, in Welsh (optional)")
    )
    plans_kept = _optional(AuthorityStatement, "plans_kept", "")
    plans_kept_cy = _optional(AuthorityStatement, "plans_kept_cy", "")
    post_16 = _optional(
        AuthorityStatement,
        "post_16",
        _("Post-16 strategy"),
        help_text=_(
            "How the authority supports young people after 16: at school, at college and when "
            "they leave."
        ),
    )
    post_16_cy = _optional(
        AuthorityStatement, "post_16_cy", _("Post-16 strategy, in Welsh (optional)")
    )
    mediation = _optional(
        AuthorityStatement,
        "mediation",
        _("Mediation and resolving disagreements"),
        help_text=_(
            "Who provides independent mediation for the authority, how to ask for it, and that "
            "it is free and does not affect the right to go to a tribunal."
        ),
    )
    mediation_cy = _optional(
        AuthorityStatement,
        "mediation_cy",
        _("Mediation and resolving disagreements, in Welsh (optional)"),
    )

    def __init__(self, *args: Any, nation: NationPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The nation's statutory plans: co-ordinated support plans, or the IDPs an authority keeps.
        self.fields["plans_kept"].label = str(nation.plans_kept_heading)
        self.fields["plans_kept"].help_text = str(nation.plans_kept_help)
        self.fields["plans_kept_cy"].label = _("%(heading)s, in Welsh (optional)") % {
            "heading": nation.plans_kept_heading
        }


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


class SchoolOfferForm(forms.Form):
    statement = _text(
        SchoolOffer,
        "statement",
        "",
        error_messages={"required": _("Enter the school's statement.")},
    )
    statement_cy = _optional(SchoolOffer, "statement_cy", "")
    provision = forms.CharField(
        label=_("Provision the school makes"),
        help_text=_(
            "One piece of provision on each line, for example: Small-group reading sessions "
            "three times a week."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    provision_cy = forms.CharField(
        label=_("Provision the school makes, in Welsh (optional)"),
        help_text=_(
            "One line for each line above, in the same order. Leave blank to show the English."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: Any, nation: NationPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["statement"].label = str(nation.school_offer_heading)
        self.fields["statement"].help_text = _(
            "What the school regards as support beyond what every learner gets, and how a family "
            "asks for it."
        )
        self.fields["statement_cy"].label = _("%(heading)s, in Welsh (optional)") % {
            "heading": nation.school_offer_heading
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        english = [line for line in _lines(cleaned.get("provision") or "") if line]
        welsh_lines = _lines(cleaned.get("provision_cy") or "")
        # Empty lines are ignored in both boxes; the Welsh pairs with the English line by line.
        welsh = [line for line in welsh_lines if line]
        if welsh and len(welsh) != len(english):
            self.add_error(
                "provision_cy",
                _(
                    "Give one Welsh line for each piece of provision: there are %(english)d in "
                    "English and %(welsh)d in Welsh."
                )
                % {"english": len(english), "welsh": len(welsh)},
            )
            return cleaned
        limit = limit_of(ProvisionItem, "description")
        for field, lines in (("provision", english), ("provision_cy", welsh)):
            for number, line in enumerate(lines, start=1):
                if len(line) > limit:
                    self.add_error(
                        field,
                        _(
                            "Line %(number)d is %(count)d characters long: keep each piece of "
                            "provision to %(limit)d characters or fewer."
                        )
                        % {"number": number, "count": len(line), "limit": limit},
                    )
                    break
        cleaned["provision_items"] = [
            (line, welsh[index] if welsh else "") for index, line in enumerate(english)
        ]
        return cleaned
