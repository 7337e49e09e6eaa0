"""Everything a run writes, from its ``RunResult``: the workbook, the JSON, annotated copies.

``write_outputs`` writes the consolidated workbook and the JSON report as one set: both
are staged beside their targets and moved into place only when both are complete.
"""

from __future__ import annotations

from pathlib import Path

from budget_xls.model import RunResult
from budget_xls.outputs.atomic import OutputLocked, OutputSet


def write_outputs(result: RunResult, workbook: Path, report_json: Path) -> list[Path]:
    """Write the consolidated workbook and the JSON report together; OutputLocked/OSError on failure
    (then neither target is touched)."""
    from budget_xls.outputs.report import write_report
    from budget_xls.outputs.workbook import write_workbook

    with OutputSet() as outputs:
        write_workbook(result, workbook, outputs)
        write_report(result, report_json, outputs)
        return outputs.commit()


__all__ = ["OutputLocked", "OutputSet", "write_outputs"]
