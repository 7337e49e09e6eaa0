"""budget-xls: collect, check and consolidate fiscal project performance-target forms."""

__version__ = "0.1.0"
