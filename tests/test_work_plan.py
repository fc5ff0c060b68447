"""The streaming export's first pass (kg.map.plan) decides what the in-memory pipeline decides:
the same works with the same members, merges, conflicts and refusals, the same identities and the
same keys kept apart, from identity facts and digests instead of whole records."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.core.external_sort import scratch_folder
from kg.errors import InputError
from kg.map.pipeline import ExportOptions, prepare_works
from kg.map.plan import plan_works
from tests.test_fuzz_end_to_end import EXAMPLES, FORMATS, ORIGINALS

OPTIONS = ExportOptions(workers=1)


def _record(**fields: str) -> str:
    lines = [f"TY  - {fields.pop('TY', 'JOUR')}"]
    for tag, value in fields.items():
        for part in value.split("|"):
            lines.append(f"{tag[:2]}  - {part}")
    return "\n".join([*lines, "ER  - ", ""])


# Works that exercise every rule the plan re-implements on digests: merges by DOI, PMID, title and
# identical records across files; a merge refused for different DOIs; two works with one DOI and
# different PMIDs (kept apart by a fuller key); books with ISBN-10 and -13, and their chapters;
# initials resolved to a full name and an ORCID holder; an organisation and a funder.
FIRST = "".join(
    [
        _record(
            TI="Peer support at work",
            AU="Doe, Jane|Roe, R.",
            PY="2020",
            DO="10.5555/a1",
            JO="Journal of Care",
            SN="1755-6228",
            VL="3",
            IS="2",
            PB="Care Press",
        ),
        _record(
            TI="Same title elsewhere",
            AU="Poe, Ann",
            PY="2019",
            DO="10.5555/b1",
            JO="Journal of Care",
            SN="1755-6228",
        ),
        _record(
            TI="Twin with PMIDs",
            AU="Moe, Max",
            PY="2018",
            DO="10.5555/twin",
            AN="111",
            DB="PubMed",
            JO="Other Journal",
        ),
        _record(
            TY="BOOK",
            TI="A whole book",
            AU="Book, Bea",
            PY="2015",
            SN="0-306-40615-2",
            PB="Books Ltd",
        ),
        _record(
            TY="CHAP",
            TI="A chapter",
            AU="Chap, Cy",
            PY="2015",
            SN="9780306406157",
            T2="A whole book",
        ),
        _record(TI="Identical twice", AU="Same, Sam", PY="2001", JO="J"),
        _record(TI="Identical twice", AU="Same, Sam", PY="2001", JO="J"),
        _record(TI="By an organisation", AU="World Health Organization", PY="2010"),
    ]
)
SECOND = "".join(
    [
        _record(TI="Peer support at work (again)", AU="Doe, Jane", PY="2020",
                DO="https://doi.org/10.5555/A1", AB="An abstract only this copy gives."),
        _record(TI="Same title elsewhere", AU="Poe, Ann", PY="2019", DO="10.5555/b2",
                JO="Journal of Care"),
        _record(TI="Twin with PMIDs", AU="Moe, Max", PY="2018", DO="10.5555/twin", AN="222",
                DB="PubMed", JO="Other Journal"),
        _record(TI="Initials only", AU="Roe, Richard", PY="2021", JO="Journal of Care",
                SN="1755-6228"),
        _record(TY="CHAP", TI="Another chapter", AU="Chap, Cy", PY="2015", SN="0306406152"),
    ]
)  # fmt: skip


def _decisions_or_error(inputs: list[Path]) -> tuple[object, ...] | str:
    """The decisions, or the message of the error that stops an input (both paths the same)."""
    try:
        with scratch_folder(inputs[0].parent) as scratch:
            plan_works(inputs, OPTIONS, scratch).records.close()
    except InputError as error:
        try:
            prepare_works(inputs, OPTIONS)
        except InputError as same:
            assert str(same) == str(error)
            return str(error)
        raise AssertionError(f"only the plan stopped: {error}") from error
    return _decisions(inputs)


def _decisions(inputs: list[Path]) -> tuple[object, ...]:
    with scratch_folder(inputs[0].parent) as scratch:
        plan = plan_works(inputs, OPTIONS, scratch)
        streamed = (
            [(w.record, w.members, w.reason, w.conflicts) for w in plan.works()],
            plan.refused,
            plan.resolutions,
            plan.minter.identities,
            plan.reading.problems,
            plan.work_count,
        )
        plan.records.close()
    prepared = prepare_works(inputs, OPTIONS)
    in_memory = (
        [(w.record, w.members, w.reason, w.conflicts) for w in prepared.works],
        prepared.refused,
        prepared.resolutions,
        prepared.minter.identities,
        prepared.reading.problems,
        len(prepared.works),
    )
    assert streamed == in_memory
    return streamed


def test_every_rule_decides_alike_from_identity_facts(tmp_path: Path) -> None:
    first, second = tmp_path / "first.ris", tmp_path / "second.ris"
    first.write_text(FIRST, encoding="utf-8")
    second.write_text(SECOND, encoding="utf-8")
    works, refused, _, identities, _, count = _decisions([first, second])
    assert isinstance(works, list) and isinstance(refused, list)
    merged = [w for w in works if len(w[1]) > 1]
    # the DOI pair (first and second file) and the identical pair merge; nothing else does
    assert len(merged) == 2 and count == 13 - 2
    assert any("DOIs differ" in r.reason for r in refused)  # the same title, two DOIs
    assert any("PMIDs differ" in r.reason for r in refused)  # the same DOI, two PMIDs
    assert identities.works  # the DOI twins with different PMIDs: one kept apart


def test_the_examples_decide_alike(tmp_path: Path) -> None:
    _decisions([EXAMPLES / name for name in ORIGINALS.values()])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mangled_examples_decide_alike(tmp_path: Path, data: st.DataObject) -> None:
    inputs = []
    for number, (name, strategy) in enumerate(FORMATS.items()):
        if data.draw(st.booleans(), label=f"mangle {name}"):
            text = data.draw(strategy, label=name)
        else:
            text = (EXAMPLES / ORIGINALS[name]).read_text(encoding="utf-8")
        path = tmp_path / f"{number}-{ORIGINALS[name]}"
        path.write_text(text, encoding="utf-8")
        inputs.append(path)
    _decisions_or_error(inputs)
