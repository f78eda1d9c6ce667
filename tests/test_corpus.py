"""Every workbook in ../shared/corpus imports without an unhandled exception.

The matched share per file is printed (run with -s to see it); it is not asserted here.
"""

import pytest

from importer import pipeline
from importer.errors import CapitalLensError

pytestmark = pytest.mark.corpus


def test_every_corpus_workbook_imports(database, engine, corpus_files, capsys):
    failures = []
    lines = []
    total_matched = total_comparable = 0
    for path in corpus_files:
        try:
            result = pipeline.run_import(path, path.stem[:60], engine=engine)
        except CapitalLensError as exc:  # a clear, expected error still counts as a failure here
            failures.append(f"{path.name}: {exc.to_dict()}")
            continue
        total_matched += result.matched
        total_comparable += result.comparable
        share = f"{100 * result.matched_share:6.2f}%" if result.comparable else "   n/a"
        lines.append(f"{share}  {result.matched:>6}/{result.comparable:<6} {path.name}")
    with capsys.disabled():
        print("\nmatched share per corpus workbook:")
        print("\n".join(lines))
        if total_comparable:
            print(
                f"total: {total_matched}/{total_comparable} = {100 * total_matched / total_comparable:.2f}%"
            )
    assert not failures, failures
    assert len(lines) == len(corpus_files)
