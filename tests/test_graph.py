from importer import graph, workbook
from tests import workbooks


def _deps(data):
    wb = workbook.read(data)
    return wb, graph.build(wb)


def test_cycles_and_order():
    _, deps = _deps(workbooks.circular())
    cells = {deps.cells[n] for n in deps.in_cycles()}
    assert cells == {(0, 1, 2), (0, 1, 3)}  # B1 and C1
    assert deps.cycle_cell_count == 2
    assert len(deps.order) == len(deps.cells) == 3


def test_order_puts_precedents_first():
    _, deps = _deps(workbooks.basic())
    position = {deps.cells[n]: i for i, n in enumerate(deps.order)}
    calc = 1  # sheet index of Calc
    assert position[(calc, 1, 1)] < position[(calc, 2, 1)] < position[(calc, 8, 1)]
    assert not deps.cycles


def test_long_chain_does_not_overflow_the_stack():
    _, deps = _deps(workbooks.large(5000))
    assert len(deps.order) == len(deps.cells) == 9999
    assert not deps.cycles


def test_dependents_of_follows_transitively():
    _, deps = _deps(workbooks.basic())
    index = {cell: n for n, cell in enumerate(deps.cells)}
    a1 = index[(1, 1, 1)]
    reached = {deps.cells[n] for n in deps.dependents_of([a1])}
    assert {(1, 1, 1), (1, 2, 1), (1, 6, 1), (1, 8, 1)} <= reached
    assert (1, 3, 1) not in reached
