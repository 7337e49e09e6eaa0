"""One sheet as budget-xls sees it: sparse cell values and merged ranges."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from budget_xls import limits


@dataclass(slots=True)
class Grid:
    """One sheet: sparse cell values at absolute 0-based positions, plus merged ranges."""

    name: str
    cells: dict[tuple[int, int], Any]
    merged: list[tuple[int, int, int, int]]  # r0, c0, r1, c1 (inclusive)
    max_row: int = -1
    max_col: int = -1
    uncached_formulas: frozenset[tuple[int, int]] = frozenset()  # also the cells holding an Excel error
    errors: dict[tuple[int, int], str] | None = None  # cells whose cached value is an Excel error: "#REF!"
    hidden_rows: frozenset[int] = frozenset()  # 0-based rows the sheet hides (.xlsx/.xlsm): visible content wins
    visibility: str = "visible"  # visible | hidden | veryhidden (the sheet itself)
    _merge_owner: dict[tuple[int, int], tuple[int, int]] | None = None
    _merge_box: dict[tuple[int, int], tuple[int, int, int, int]] | None = None

    def raw(self, r: int, c: int) -> Any:
        """The value stored in exactly this cell (None for merged continuation cells)."""
        return self.cells.get((r, c))

    def value(self, r: int, c: int) -> Any:
        """The value a person sees at (r, c): merged cells show their top-left value."""
        if self._merge_owner is None:
            self._build_merge_map()
        pos = (r, c)
        return self.cells.get(self._merge_owner.get(pos, pos))

    def merge_owner(self, r: int, c: int) -> tuple[int, int]:
        """The top-left cell of the merged range holding (r, c), or the cell itself."""
        if self._merge_owner is None:
            self._build_merge_map()
        return self._merge_owner.get((r, c), (r, c))

    def owner_map(self) -> dict[tuple[int, int], tuple[int, int]]:
        """Covered cell → the top-left cell of its merged range (for loops over many cells)."""
        if self._merge_owner is None:
            self._build_merge_map()
        return self._merge_owner

    def merge_extent(self, r: int, c: int) -> tuple[int, int, int, int]:
        """The merged range holding (r, c) (clipped to the used area), or the cell itself."""
        if self._merge_owner is None:
            self._build_merge_map()
        owner = self._merge_owner.get((r, c), (r, c))
        return self._merge_box.get(owner, (r, c, r, c))

    def mapped_ranges(self):
        """The merged ranges the merge map covers, clipped to the cells that hold values.

        A hostile A1:XFD1048576 merge costs nothing (clipped), and a range still larger than
        ``MAX_MERGE_AREA`` is left out of the map.
        """
        max_row, max_col, most = self.max_row, self.max_col, limits.MAX_MERGE_AREA
        for r0, c0, r1, c1 in self.merged:
            r1 = min(r1, max(max_row, r0))
            c1 = min(c1, max(max_col, c0))
            if (r1 - r0 + 1) * (c1 - c0 + 1) <= most:
                yield r0, c0, r1, c1

    def merged_area_exceeds(self, limit: int) -> bool:
        """Whether the map would cover more than ``limit`` cells (counted before any is built).

        The map costs a dict entry per covered cell: 5,000 overlapping ranges of 10,000 cells
        each (a 50 KB file) would take 20 s and hundreds of MB to build. Summing the areas
        costs one multiplication per range.
        """
        if len(self.merged) * min((self.max_row + 1) * (self.max_col + 1), limits.MAX_MERGE_AREA) <= limit:
            return False  # no range covers more than the used area: a form's few merges never get near
        total = 0
        for r0, c0, r1, c1 in self.mapped_ranges():
            total += (r1 - r0 + 1) * (c1 - c0 + 1)
            if total > limit:
                return True
        return False

    def _build_merge_map(self) -> None:
        owners: dict[tuple[int, int], tuple[int, int]] = {}
        boxes: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for r0, c0, r1, c1 in self.mapped_ranges():
            top_left = (r0, c0)
            boxes[top_left] = (r0, c0, r1, c1)
            for r in range(r0, r1 + 1):
                for c in range(c0 + 1 if r == r0 else c0, c1 + 1):  # every cell but the top-left
                    owners[(r, c)] = top_left
        self._merge_owner, self._merge_box = owners, boxes
