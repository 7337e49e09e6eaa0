"""Everything a run writes, from its ``RunResult``: the workbook, the JSON, annotated copies.

``write_outputs`` writes the consolidated workbook and the JSON report as one set: both
are staged beside their targets and moved into place only when both are complete.
"""

from __future__ import annotations

from pathlib import Path

from budget_xls.model import RunResult
from budget_xls.outputs.atomic import OutputLocked, OutputSet


def write_outputs(result: RunResult, workbook: Path, report_json: Path, feedback_dir: Path | None = None,
                  annotated: list | None = None) -> list[Path]:
    """Write the consolidated workbook, the JSON report and (with ``feedback_dir``) the annotated
    copies as one set; OutputLocked/FeedbackError on failure (then no target is touched).

    ``annotated``, when given, receives the ``Annotated`` record of every copy.
    """
    from budget_xls.outputs.annotate import write_feedback
    from budget_xls.outputs.report import write_report
    from budget_xls.outputs.workbook import write_workbook
    from budget_xls.review import reviews_of

    with OutputSet() as outputs:
        reviews_of(result)  # drafted once, before the report's writer forks
        write_report(result, report_json, outputs, background=True)
        write_workbook(result, workbook, outputs)
        if feedback_dir is not None:
            copies = write_feedback(result.files, result.findings, result.sources, feedback_dir, outputs)
            if annotated is not None:
                annotated.extend(copies)
        return outputs.commit()


__all__ = ["OutputLocked", "OutputSet", "write_outputs"]
