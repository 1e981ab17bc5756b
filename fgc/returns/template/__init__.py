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
(validation). The public names are re-exported here.
"""

from fgc.returns.template.container import is_template
from fgc.returns.template.layout import FIRST_ROW, INPUT_SHEET, KEY_ROW, META_SHEET
from fgc.returns.template.read import read_template
from fgc.returns.template.report import TemplateReport, validate_template
from fgc.returns.template.write import fill_template, write_template

__all__ = [
    "FIRST_ROW",
    "INPUT_SHEET",
    "KEY_ROW",
    "META_SHEET",
    "TemplateReport",
    "fill_template",
    "is_template",
    "read_template",
    "validate_template",
    "write_template",
]
