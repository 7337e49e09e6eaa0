"""budget-xls: collect, check and consolidate fiscal project performance-target forms.

The library calls (``consolidate``, ``check``, ``write_outputs``, ``annotate``,
``write_template``, ``frames``) live in ``budget_xls.api`` and are loaded on first use, so that
importing the package (as the CLI does) stays cheap.
"""

__version__ = "0.1.0"

_API = ("consolidate", "check", "write_outputs", "lock_outputs", "annotate", "write_template", "RunError",
        "OutputLocked", "RunResult", "DEFAULT_OUTPUT", "frames")


def __getattr__(name: str):
    if name in _API:
        from budget_xls import api

        return getattr(api, name)
    raise AttributeError(f"module 'budget_xls' has no attribute {name!r}")
