"""The dependency graph of a workbook's formula cells: cycles and an evaluation order.

Nodes are formula cells plus two kinds of shared virtual node: one per distinct range (so that
a thousand VLOOKUPs over the same table add a thousand edges, not a million) and one per defined
name. Edges point from a formula to what it reads. Tarjan's algorithm (iterative, so deep chains
do not overflow the stack) yields the strongly connected components with precedents first, which
is an evaluation order; a component with more than one cell, or a cell reading itself, is a cycle.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from importer import external, references, shapes, translate
from importer import formula as formula_text
from importer.references import Area, NameRef, TableRef
from importer.workbook import CONSTANT, ParsedWorkbook

Progress = Callable[[float, str], None]


@dataclass
class Dependencies:
    cells: list[tuple[int, int, int]]  # node id -> (sheet index, row, col), formula cells only
    order: list[int]  # formula-cell node ids, precedents first
    cycles: list[list[int]]  # each circular component, in evaluation order
    # The node of another workbook's cells the file keeps no value for (importer/external.py):
    # the cells reading it, directly or not, are `external_link`.
    external: set[int] = field(default_factory=set)
    edges: int = 0
    volatile: set[int] = field(default_factory=set)  # cells calling RAND, RANDBETWEEN...
    as_of: set[int] = field(default_factory=set)  # cells calling TODAY or NOW (the as-of instant)
    adjacency: list[list[int]] = field(default_factory=list, repr=False)
    unreadable: dict[int, str] = field(default_factory=dict)  # node id -> tokenizer error

    @property
    def cycle_cell_count(self) -> int:
        return sum(len(c) for c in self.cycles)

    def in_cycles(self) -> set[int]:
        return {n for c in self.cycles for n in c}

    def dependents_of(self, seeds: Iterable[int]) -> set[int]:
        """The seeds and every formula cell that reads them, directly or not."""
        reverse: dict[int, list[int]] = {}
        for node, targets in enumerate(self.adjacency):
            for t in targets:
                reverse.setdefault(t, []).append(node)
        seen = set(seeds)
        todo = list(seen)
        while todo:
            for d in reverse.get(todo.pop(), ()):
                if d not in seen:
                    seen.add(d)
                    todo.append(d)
        return {n for n in seen if n < len(self.cells)}


class _Index:
    """Formula cells of one sheet, by column then row, for range look-ups."""

    def __init__(self) -> None:
        self.cols: dict[int, tuple[list[int], list[int]]] = {}  # col -> (rows, node ids)
        self.sorted_cols: list[int] = []

    def add(self, row: int, col: int, node: int) -> None:
        rows, nodes = self.cols.setdefault(col, ([], []))
        rows.append(row)  # cells arrive row-major, so rows per column stay sorted
        nodes.append(node)

    def finish(self) -> None:
        self.sorted_cols = sorted(self.cols)

    def find(self, area: Area) -> Iterable[int]:
        lo, hi = (
            bisect_left(self.sorted_cols, area.min_col),
            bisect_right(self.sorted_cols, area.max_col),
        )
        for col in self.sorted_cols[lo:hi]:
            rows, nodes = self.cols[col]
            yield from nodes[bisect_left(rows, area.min_row) : bisect_right(rows, area.max_row)]


def build(wb: ParsedWorkbook, progress: Progress | None = None) -> Dependencies:
    progress = progress or (lambda fraction, message: None)
    sheet_index = {s.name.upper(): i for i, s in enumerate(wb.sheets)}
    cells: list[tuple[int, int, int]] = []
    formulas: list[str] = []
    indexes = [_Index() for _ in wb.sheets]
    for si, sheet in enumerate(wb.sheets):
        for c in sheet.cells:
            if c.kind != CONSTANT:
                indexes[si].add(c.row, c.col, len(cells))
                cells.append((si, c.row, c.col))
                formulas.append(c.formula or "")
    for index in indexes:
        index.finish()

    adjacency: list[list[int]] = [[] for _ in cells]
    cell_node = {cell: node for node, cell in enumerate(cells)}
    virtual: dict[object, int] = {}
    deps = Dependencies(cells=cells, order=[], cycles=[], adjacency=adjacency)

    def node_for(key: object, targets: Callable[[], Iterable[int]]) -> int:
        node = virtual.get(key)
        if node is None:
            node = len(adjacency)
            virtual[key] = node
            adjacency.append([])
            adjacency[node] = list(targets())
        return node

    def resolve(ref: Area | NameRef | TableRef, own_sheet: int, row: int = 0, col: int = 0) -> int | None:
        if isinstance(ref, TableRef):
            return resolve_table(ref.text, own_sheet, row, col)
        if isinstance(ref, Area):
            if ref.external:
                return None
            si = own_sheet if ref.sheet is None else sheet_index.get(ref.sheet.upper())
            if si is None:
                return None
            if ref.min_row == ref.max_row and ref.min_col == ref.max_col:
                return cell_node.get((si, ref.min_row, ref.min_col))  # None for a constant
            key = (si, ref.min_row, ref.min_col, ref.max_row, ref.max_col)
            node = virtual.get(key)
            return node if node is not None else node_for(key, lambda: indexes[si].find(ref))
        scope = wb.sheets[own_sheet].name if ref.sheet is None else ref.sheet
        defn = names.get((scope.upper(), ref.name.upper())) or names.get((None, ref.name.upper()))
        if defn is None:  # `SUM(Table1)`: a table named alone is its data rows
            return resolve_table(ref.name, own_sheet, row, col) if ref.sheet is None else None
        key = ("name", defn.scope, defn.name.upper())
        if key in virtual:
            return virtual[key]
        node = node_for(key, list)  # registered first so self-referencing names terminate
        name_sheet = sheet_index.get((defn.scope or "").upper(), own_sheet)
        text = "=" + defn.value
        try:
            operands = formula_text.read(text).operands
        except formula_text.FormulaError:
            operands = ()
        refs = references.of(operands)
        adjacency[node] = [t for r in refs if (t := resolve(r, name_sheet)) is not None]
        if operands and external.lacks_value(text, wb.links, operands):
            adjacency[node].append(no_value())
        return node

    def resolve_table(text: str, own_sheet: int, row: int, col: int) -> int | None:
        """The exact rectangle a structured reference denotes from the cell (row, col) of
        own_sheet ([#This Row] is that row), as the engine reads it (translate.table_area)."""
        if not tables:
            return None
        ctx = translate.Context(sheet=wb.sheets[own_sheet].name, row=row, col=col, tables=tables)
        found = translate.table_area(text, ctx)
        if not isinstance(found, tuple):
            return None  # an unknown table or column, or an error (#REF!): nothing is read
        sheet, r1, c1, r2, c2 = found
        return resolve(Area(sheet, r1, c1, r2, c2), own_sheet)

    def no_value() -> int:
        node = node_for("external", list)
        deps.external.add(node)
        return node

    names = {((n.scope or "").upper() or None, n.name.upper()): n for n in wb.names}
    tables = {t.name.upper(): t for t in wb.tables}
    total = len(cells) or 1
    read = _Reader()
    for node, (si, row, col) in enumerate(cells):
        formula = formulas[node]
        try:
            found = read(formula, row, col)  # read once: references, functions, other books
        except formula_text.FormulaError as exc:
            deps.unreadable[node] = str(exc)
            continue
        if found.functions & formula_text.VOLATILE_FUNCTIONS:
            deps.volatile.add(node)
        if found.functions & formula_text.AS_OF_FUNCTIONS:
            deps.as_of.add(node)
        targets = []
        for ref in references.of(found.operands):
            target = resolve(ref, si, row, col)
            if target is not None:
                targets.append(target)
        if external.lacks_value(formula, wb.links, found.operands):
            targets.append(no_value())
        adjacency[node] = targets
        if node % 20000 == 0:
            progress(0.6 * node / total, f"references of {node:,} of {total:,} formulas")
    deps.edges = sum(len(a) for a in adjacency)
    progress(0.6, f"{deps.edges:,} dependencies; looking for circular references")
    _tarjan(
        adjacency,
        len(cells),
        deps,
        lambda done: progress(0.6 + 0.4 * done, f"ordering {len(cells):,} formulas"),
    )
    progress(1.0, f"{deps.cycle_cell_count:,} cells in {len(deps.cycles):,} circular references")
    return deps


class _Reader:
    """formula.read, once per formula shape (importer/shapes.py) where it needs the tokenizer:
    a formula copied down a column has its copies' operands with their own references in place.
    (One regex reads the other formulas faster than their shape is found.)"""

    def __init__(self) -> None:
        self.known: dict[str, tuple[tuple[str | int, ...], frozenset[str]] | None] = {}

    def __call__(self, formula: str, row: int, col: int) -> formula_text.Read:
        shape = None if formula_text.reads_fast(formula) else shapes.of(formula, row, col)
        if shape is None:
            return formula_text.read(formula)
        if shape.key not in self.known:
            found = formula_text.read(formula)
            operands = shapes.slots(found.operands, shape.refs)
            self.known[shape.key] = None if operands is None else (operands, found.functions)
            return found
        known = self.known[shape.key]
        if known is None:
            return formula_text.read(formula)
        operands, functions = known
        refs = shape.refs
        return formula_text.Read(tuple(p if isinstance(p, str) else refs[p] for p in operands), functions)


def _tarjan(
    adjacency: list[list[int]],
    n_cells: int,
    deps: Dependencies,
    progress: Callable[[float], None] | None = None,
) -> None:
    """Iterative Tarjan: fills deps.order (precedents first) and deps.cycles."""
    n = len(adjacency)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    counter = 0
    for root in range(n):
        if progress is not None and root % 65536 == 0:
            progress(root / n)
        if index[root] != -1:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack[v] = True
            recurse = False
            edges = adjacency[v]
            while i < len(edges):
                w = edges[i]
                i += 1
                if index[w] == -1:
                    work.append((v, i))
                    work.append((w, 0))
                    recurse = True
                    break
                if on_stack[w]:
                    low[v] = min(low[v], index[w])
            if recurse:
                continue
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    component.append(w)
                    if w == v:
                        break
                component.reverse()
                real = [w for w in component if w < n_cells]
                deps.order.extend(real)
                if len(component) > 1 or v in adjacency[v]:
                    if real:
                        deps.cycles.append(real)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
