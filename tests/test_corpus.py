"""Golden test: every corpus workbook imports, and none matches Excel less than FIDELITY.md says.

The floor per file is FIDELITY.json, which `capitallens fidelity --write FIDELITY.md` writes
beside FIDELITY.md (never edited by hand). Run with -s to see the shares.
"""

import json

import pytest

from importer import service
from importer.errors import CapitalLensError
from tests.conftest import ROOT

pytestmark = pytest.mark.corpus

GOLDEN = ROOT / "FIDELITY.json"


def test_every_corpus_workbook_imports_and_keeps_its_matched_share(database, engine, corpus_files, capsys):
    floors = json.loads(GOLDEN.read_text()) if GOLDEN.is_file() else {}
    failures, dropped, missing, lines = [], [], [], []
    total_matched = total_comparable = 0
    for path in corpus_files:
        try:
            result = service.import_file(path, path.stem[:60], engine=engine)
        except CapitalLensError as exc:  # a clear, expected error still counts as a failure here
            failures.append(f"{path.name}: {exc.to_dict()}")
            continue
        total_matched += result.matched
        total_comparable += result.comparable
        share = result.matched_share
        lines.append(
            f"{100 * share:6.2f}%  {result.matched:>6}/{result.comparable:<6} {path.name}"
            if share is not None
            else f"   n/a  {path.name}"
        )
        floor = (floors.get(path.name) or {}).get("share")
        if path.name not in floors:
            missing.append(path.name)
        elif floor is not None and (share or 0.0) < floor - 1e-12:
            dropped.append(f"{path.name}: {share:.4%} < {floor:.4%} recorded in FIDELITY.json")
    with capsys.disabled():
        print("\nmatched share per corpus workbook:")
        print("\n".join(lines))
        if total_comparable:
            share = 100 * total_matched / total_comparable
            print(f"total: {total_matched}/{total_comparable} = {share:.2f}%")
    assert not failures, failures
    assert not dropped, dropped
    # Every corpus file has its floor: a new file is measured (`make fidelity`) before it counts.
    assert not missing, f"corpus files without a floor in FIDELITY.json (run make fidelity): {missing}"
    assert len(lines) == len(corpus_files)
