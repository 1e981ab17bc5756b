"""Option 1: the aggregate return as an Excel template, written and read back.

The workbook is generated from the declarations: the rows are the breakdown values of
``fgc.engine.aggregate.BREAKDOWN_TOPICS``, the columns ``AGGREGATE_MEASURES``, the checks
``template_checks.CHECKS``. A person fills it by hand; ``fill_template`` fills it from
child-level data; either way ``read_template`` turns it back into the council's rows of the
tidy aggregate (``fgc.engine.aggregate.aggregate``), with findings for anything that does not
add up.

Sheets: Guidance (definitions, counting rules, checks, an example), Input (locked labels,
unlocked whole-number cells, live checks), Code lists, and a hidden _meta sheet identifying
the council, period, standard and template version.

Modules: ``layout`` (sheet names, rows and columns), ``sheets`` (formats, Guidance and Code
lists), ``write`` (the Input sheet), ``container`` (opening a workbook safely), ``reconcile``
(the AGG checks on read-back figures), ``read`` (back to tidy rows) and ``report``
(validation). Every name stays importable from ``fgc.returns.template``.
"""

from fgc.returns.template.container import (
    MAX_FILE_BYTES,
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_UNZIPPED_BYTES,
    _check_container,
    _load,
    _meta,
    _read_bytes,
    is_template,
)
from fgc.returns.template.layout import (
    CHECK_LABEL,
    FIRST_MEASURE_COL,
    FIRST_ROW,
    HEADER_ROW,
    INPUT_SHEET,
    KEY_ROW,
    LABEL_COL,
    META_SHEET,
    SOURCE_CHOICES,
    SOURCE_ROW,
    TEMPLATE_KIND,
    TEMPLATE_VERSION,
    TITLE_ROW,
    TOPIC_COL,
    TOPIC_MISMATCH,
    TOTAL,
    _applies,
    _as_period,
    _layout,
    _Row,
)
from fgc.returns.template.read import _tidy, read_template
from fgc.returns.template.reconcile import _cell_value, _evaluate_checks, _finding
from fgc.returns.template.report import TemplateReport, validate_template
from fgc.returns.template.sheets import _formats, _write_codelists, _write_guidance
from fgc.returns.template.write import _row_conditions, fill_template, write_template

__all__ = [
    "CHECK_LABEL",
    "FIRST_MEASURE_COL",
    "FIRST_ROW",
    "HEADER_ROW",
    "INPUT_SHEET",
    "KEY_ROW",
    "LABEL_COL",
    "MAX_FILE_BYTES",
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MAX_UNZIPPED_BYTES",
    "META_SHEET",
    "SOURCE_CHOICES",
    "SOURCE_ROW",
    "TEMPLATE_KIND",
    "TEMPLATE_VERSION",
    "TITLE_ROW",
    "TOPIC_COL",
    "TOPIC_MISMATCH",
    "TOTAL",
    "TemplateReport",
    "_Row",
    "_applies",
    "_as_period",
    "_cell_value",
    "_check_container",
    "_evaluate_checks",
    "_finding",
    "_formats",
    "_layout",
    "_load",
    "_meta",
    "_read_bytes",
    "_row_conditions",
    "_tidy",
    "_write_codelists",
    "_write_guidance",
    "fill_template",
    "is_template",
    "read_template",
    "validate_template",
    "write_template",
]
