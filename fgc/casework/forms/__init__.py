"""Forms generated from the standard: labels, hints, code lists and when a field is needed.

A form first checks each value's own shape (a real date, a number in range, a listed code),
then runs the engine's rules (``validate_record``) over the whole episode as it would be saved
and puts each finding on the field it is about, quoting the rule code: the form and a
submitted return can never disagree.

One module per form (or building block); everything is re-exported here.
"""

from fgc.casework.forms.child import ChildForm
from fgc.casework.forms.components import RADIO_LIMIT, tag
from fgc.casework.forms.dates import DATE_PARTS, DatePartsWidget, GovDateField, date_parts_in_error
from fgc.casework.forms.engine_check import EngineCheckedForm
from fgc.casework.forms.episode import EpisodeForm, NewEpisodeForm
from fgc.casework.forms.error_summary import anchor, control_id, error_items
from fgc.casework.forms.field_values import initial_value, value_text
from fgc.casework.forms.fields import hint_for, local_field, standard_field
from fgc.casework.forms.local_field_definition import LocalFieldForm
from fgc.casework.forms.network import NetworkMemberForm
from fgc.casework.forms.review import ReviewForm
from fgc.casework.forms.step import StepForm

__all__ = [
    "DATE_PARTS",
    "RADIO_LIMIT",
    "ChildForm",
    "DatePartsWidget",
    "EngineCheckedForm",
    "EpisodeForm",
    "GovDateField",
    "LocalFieldForm",
    "NetworkMemberForm",
    "NewEpisodeForm",
    "ReviewForm",
    "StepForm",
    "anchor",
    "control_id",
    "date_parts_in_error",
    "error_items",
    "hint_for",
    "initial_value",
    "local_field",
    "standard_field",
    "tag",
    "value_text",
]
