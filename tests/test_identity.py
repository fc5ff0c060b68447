"""Who is who across records (kg.resolve.identity): the identity decisions a user relies on.

ORCID is the person; a full name joins the one ORCID holder of that very name; initials join the
one person of that family name they fit, and stay apart when two fit; nothing else merges two
written names. A journal's print, electronic and linking ISSNs name one journal, transitively;
ISBN-10 and ISBN-13 forms name one book; a DOI, however written, names one work. Keys do not
depend on the order of the records; names and media follow precedence (first input first).
"""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import URIRef
from stdnum import ean
from stdnum import isbn as stdnum_isbn
from stdnum import issn as stdnum_issn
from stdnum.iso7064 import mod_11_2

from kg.core.problems import SourceLocation
from kg.core.records import Issn, IssnKind, PartialDate, PersonName, Record, Venue, WorkKind
from kg.read import READERS
from kg.read.names import is_initials, parse_inverted_name, parse_person_name
from kg.resolve.identity import resolve
from kg.resolve.merge import SourcedRecord, group_works
from kg.resolve.mint import Minter
from kg.resolve.slugs import slug

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
ORCID_A = "0000-0002-1825-0097"  # valid check digits (ORCID's own example iDs)
ORCID_B = "0000-0001-5109-3700"
ORCID_C = "0000-0002-1694-233X"
BAD_ORCID = "0000-0002-1825-0098"  # wrong check digit
INPUT = URIRef("https://example.org/kg/source/test")


def valid_issn(seven_digits: str) -> str:
    """An ISSN with its check digit, computed by python-stdnum (not by kg)."""
    return f"{seven_digits[:4]}-{seven_digits[4:]}{stdnum_issn.calc_check_digit(seven_digits)}"


def valid_isbn13(nine_digits: str) -> str:
    body = "978" + nine_digits
    return body + ean.calc_check_digit(body)


P_ISSN = valid_issn("1755622")  # 1755-6228
E_ISSN = valid_issn("1755623")
L_ISSN = valid_issn("1755629")
OTHER_ISSN = valid_issn("2042830")  # 2042-8308, an unrelated journal


def name(written: str, orcid: str | None = None) -> PersonName:
    """A name as a reader would split it: "Family, Given" or "Given Family"."""
    parsed = parse_inverted_name(written) if "," in written else parse_person_name(written)
    return PersonName(parsed.written, parsed.given, parsed.family, orcid)


def record(
    number: int = 1,
    *,
    authors: tuple[PersonName, ...] = (),
    editors: tuple[PersonName, ...] = (),
    venue: Venue | None = None,
    kind: WorkKind = WorkKind.ARTICLE,
    title: str | None = None,
    doi: str | None = None,
    year: int = 2012,
) -> Record:
    return Record(
        source=SourceLocation("test", number),
        number=number,
        kind=kind,
        content_type=kind.value,
        published=PartialDate(year),
        authors=authors,
        editors=editors,
        title=title,
        doi=doi,
        venue=venue,
    )


def people(*names: PersonName) -> list[Record]:
    """One record per name, so that every name comes from a record of its own."""
    return [record(i, authors=(n,)) for i, n in enumerate(names, start=1)]


def journal(
    *issns: tuple[str, IssnKind], title: str | None = None, short_title: str | None = None
) -> Venue:
    return Venue(title=title, issns=tuple(Issn(v, k) for v, k in issns), short_title=short_title)


def book(*isbns: str, title: str | None = None, volume: str | None = None) -> Venue:
    return Venue(title=title, isbns=isbns, volume=volume)


# --- persons -------------------------------------------------------------------------------------


def test_an_orcid_is_the_person_however_the_name_is_written() -> None:
    forms = [
        name("Repper, Julie", ORCID_A),
        name("J. Repper", f"https://orcid.org/{ORCID_A}"),
        name("Julie Smith-Repper", ORCID_A.replace("-", "")),
    ]
    ids, _ = resolve(people(*forms))
    assert {ids.person(form) for form in forms} == {f"orcid-{ORCID_A}"}


def test_one_name_with_two_orcids_is_two_people() -> None:
    first, second = name("Julie Repper", ORCID_A), name("Julie Repper", ORCID_B)
    ids, _ = resolve(people(first, second))
    assert ids.person(first) == f"orcid-{ORCID_A}"
    assert ids.person(second) == f"orcid-{ORCID_B}"


def test_an_orcid_with_a_wrong_check_digit_is_no_identity() -> None:
    wrong = name("Julie Repper", BAD_ORCID)
    ids, _ = resolve(people(wrong, name("Julia Repper", BAD_ORCID)))
    assert ids.person(wrong) == "julie-repper"  # the name decides, not the broken iD
    assert ids.person(name("Julia Repper", BAD_ORCID)) == "julia-repper"


def test_a_full_name_joins_the_one_orcid_holder_of_that_name() -> None:
    holder, plain = name("Julie Repper", ORCID_A), name("Repper, Julie")
    ids, resolutions = resolve(people(plain, holder))
    assert ids.person(plain) == ids.person(holder) == f"orcid-{ORCID_A}"
    assert any(r.kind == "person" and r.merged and r.key == f"orcid-{ORCID_A}" for r in resolutions)


def test_a_full_name_shared_by_two_orcid_holders_joins_neither() -> None:
    plain = name("Julie Repper")
    ids, _ = resolve(people(name("Julie Repper", ORCID_A), name("Julie Repper", ORCID_B), plain))
    assert ids.person(plain) == "julie-repper"


def test_inverted_and_direct_full_names_are_one_person() -> None:
    forms = [
        name("Repper, Julie"),
        name("Julie Repper"),
        name("REPPER, JULIE"),
        name("Julie  Repper"),
    ]
    ids, _ = resolve(people(*forms))
    assert {ids.person(form) for form in forms} == {"julie-repper"}


def test_accents_and_case_do_not_make_two_people() -> None:
    forms = [name("José Ibáñez"), name("IBÁÑEZ, José"), name("Jose Ibanez")]
    ids, _ = resolve(people(*forms))
    assert {ids.person(form) for form in forms} == {"jose-ibanez"}


@pytest.mark.parametrize("initials", ["Repper, J.", "Repper, J", "J. Repper", "Repper, J.A."])
def test_initials_join_the_one_person_of_that_family_name(initials: str) -> None:
    full, short = name("Julie Repper"), name(initials)
    ids, resolutions = resolve(people(short, full))  # the initials come first: order is no matter
    assert ids.person(short) == ids.person(full) == "julie-repper"
    assert [r.forms for r in resolutions if r.kind == "person" and r.merged] == [(initials,)]
    # the person is known by the full name, whichever was read first
    assert ids.canonical_person(short).written == "Julie Repper"


def test_initials_join_an_orcid_holder_of_that_family_name() -> None:
    holder, short = name("Julie Repper", ORCID_A), name("Repper, J.")
    ids, _ = resolve(people(holder, short))
    assert ids.person(short) == f"orcid-{ORCID_A}"


def test_initials_that_fit_two_people_stay_a_person_of_their_own() -> None:
    julie, james, short = name("Julie Repper"), name("James Repper"), name("Repper, J.")
    ids, resolutions = resolve(people(julie, james, short))
    assert ids.person(short) == "j-repper"
    assert ids.person(julie) != ids.person(james)
    refused = [r for r in resolutions if not r.merged]
    assert len(refused) == 1
    assert refused[0].kind == "person" and refused[0].forms == ("Repper, J.",)
    assert "James Repper" in refused[0].reason and "Julie Repper" in refused[0].reason


def test_initials_that_fit_two_orcid_holders_of_one_name_stay_apart() -> None:
    short = name("Repper, J.")
    ids, _ = resolve(people(name("Julie Repper", ORCID_A), name("Julie Repper", ORCID_B), short))
    assert ids.person(short) == "j-repper"


@pytest.mark.parametrize(
    ("initials", "full", "merged"),
    [
        ("Wilson, L.N.", "Laura Nicole Wilson", True),
        ("Wilson, L. N.", "Laura Nicole Wilson", True),
        ("Wilson, LN", "Laura Nicole Wilson", True),
        ("Wilson, L.", "Laura Nicole Wilson", True),
        ("Wilson, L.N.", "Laura Wilson", True),  # the full name may say less than the initials
        ("Wilson, L.K.", "Laura Nicole Wilson", False),  # a second initial that does not fit
        ("Wilson, K.", "Laura Wilson", False),
        ("Wilsen, L.", "Laura Wilson", False),  # another family name
        ("Wilson, J.-P.", "Jean-Paul Wilson", True),
        ("Wilson, J.-P.", "Jean Wilson", True),
        ("Wilson, J.-M.", "Jean-Paul Wilson", False),
    ],
)
def test_initials_fit_only_given_names_that_start_with_them(
    initials: str, full: str, merged: bool
) -> None:
    short, long = name(initials), name(full)
    ids, _ = resolve(people(long, short))
    assert (ids.person(short) == ids.person(long)) is merged


def test_an_initials_name_with_an_accent_folded_family_joins() -> None:
    full, short = name("José Ibáñez"), name("Ibanez, J.")
    ids, _ = resolve(people(full, short))
    assert ids.person(short) == ids.person(full)


def test_written_forms_of_the_same_initials_are_one_person_without_a_full_name() -> None:
    forms = [name("Wilson, L.N."), name("Wilson, L. N."), name("Wilson, LN"), name("L.N. Wilson")]
    ids, resolutions = resolve(people(*forms))
    assert {ids.person(form) for form in forms} == {"l-n-wilson"}
    assert not [r for r in resolutions if r.kind == "person"]  # one key alone, no merge needed


def test_two_initials_names_do_not_merge_with_each_other() -> None:
    """Only a full name is a candidate for initials: "J." and "J.A." say too little together."""
    one, other = name("Repper, J."), name("Repper, J.A.")
    ids, _ = resolve(people(one, other))
    assert ids.person(one) != ids.person(other)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Julie Repper", "Julia Repper"),
        ("Julie Repper", "Julie Reper"),
        ("Laura Wilson", "Laura Nicole Wilson"),  # full names: no initials rule applies
        ("Laura Nicole Wilson", "Laura Nina Wilson"),
        ("Julie Repper", "Julie Repper-Smith"),
        ("Julie Repper", "Repper Julie"),  # written in the other order without a comma
        ("Repper, Julie", "Julie, Repper"),
    ],
)
def test_two_different_full_names_are_never_merged(first: str, second: str) -> None:
    a, b = name(first), name(second)
    ids, resolutions = resolve(people(a, b))
    assert ids.person(a) != ids.person(b)
    assert not [r for r in resolutions if r.kind == "person" and r.merged]


def test_two_different_full_names_stay_apart_even_when_one_holds_an_orcid() -> None:
    holder, other = name("Julie Repper", ORCID_A), name("Julia Repper")
    ids, _ = resolve(people(holder, other))
    assert ids.person(other) == "julia-repper"


def test_names_whose_slug_is_empty_are_not_an_orcid_holders_name() -> None:
    """A name with no letters at all ("😀", "—") says nothing about who wrote: it must not join
    the ORCID holder whose name has no letters either, nor give that person's name to another."""
    holder = PersonName("🙂", given="🙂", family="🙂", orcid=ORCID_A)
    other = PersonName("😀 😀", given="😀", family="😀")
    ids, _ = resolve(people(holder, other))
    assert ids.person(other) != ids.person(holder)


def test_a_name_without_letters_keeps_its_own_written_form() -> None:
    """Two authors written "???" and "***" are two persons, each named as written."""
    first, second = PersonName("???"), PersonName("***")
    ids, _ = resolve(people(first, second))
    assert ids.canonical_person(first).written == "???"
    assert ids.canonical_person(second).written == "***"
    minter = Minter(identities=ids)
    assert minter.person(first) != minter.person(second)


def test_editors_resolve_like_authors() -> None:
    chapter = record(1, editors=(name("Fairbairn, M."),))
    the_book = record(2, kind=WorkKind.BOOK, editors=(name("Morag Fairbairn", ORCID_C),))
    ids, _ = resolve([chapter, the_book])
    assert ids.person(name("Fairbairn, M.")) == f"orcid-{ORCID_C}"


def test_a_corporate_author_is_an_organisation_no_person_joins() -> None:
    who = PersonName("World Health Organization", organization=True)
    person = name("Organization, W.")  # initials that would fit "World ... Organization"
    ids, resolutions = resolve(people(who, person))
    assert ids.person(person) == "w-organization"
    assert not [r for r in resolutions if r.kind == "person"]
    assert ids.organization_names == {"world-health-organization": "World Health Organization"}
    minter = Minter(identities=ids)
    assert minter.person(who) == minter.organization("World Health Organization")
    assert minter.person(who) != minter.person(person)


def test_the_name_a_person_is_known_by_is_the_first_full_form_in_precedence_order() -> None:
    short = name("Julie Repper", ORCID_A)
    longer = name("Julie A. Repper", ORCID_A)
    ids, _ = resolve(people(short, longer))
    assert ids.canonical_person(longer).written == "Julie Repper"
    ids, _ = resolve(people(longer, short))
    assert ids.canonical_person(short).written == "Julie A. Repper"


# A family and a given name from small alphabets, so that the same names and near misses come up.
FAMILIES = ["Repper", "Reper", "Wilson", "Ibáñez", "Ibanez", "Mac Aodha", "Lee"]
GIVENS = ["Julie", "Julia", "James", "Laura", "Laura Nicole", "José", "Jose", "Jean-Paul"]
INITIALS = st.sampled_from(["J.", "J.A.", "L.", "L.N.", "L.K.", "JP", "J.-P."])


def orcid_of(given: int, family: int, variant: int) -> str:
    """A valid ORCID for one (given, family) pair: namesakes may hold two, no one else holds it."""
    digits = f"{given:05d}{family:05d}{variant:05d}"
    digits += mod_11_2.calc_check_digit(digits)
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


@st.composite
def person_names(draw: st.DrawFn) -> PersonName:
    family = draw(st.integers(0, len(FAMILIES) - 1))
    if draw(st.booleans()):
        return name(f"{FAMILIES[family]}, {draw(INITIALS)}")
    given = draw(st.integers(0, len(GIVENS) - 1))
    variant = draw(st.sampled_from([None, None, 1, 2]))
    orcid = orcid_of(given, family, variant) if variant else None
    return name(f"{GIVENS[given]} {FAMILIES[family]}", orcid)


@SETTINGS
@given(st.lists(person_names(), min_size=1, max_size=10))
def test_names_merge_only_by_the_documented_rules(names: list[PersonName]) -> None:
    ids, _ = resolve(people(*names))
    by_key: dict[str, list[PersonName]] = {}
    for person in names:
        by_key.setdefault(ids.person(person), []).append(person)
    for key, members in by_key.items():
        orcids = {p.orcid for p in members if p.orcid}
        # two ORCIDs are never one person, and an ORCID key is that ORCID
        assert len(orcids) <= 1, (key, members)
        if key.startswith("orcid-"):
            assert orcids == {key.removeprefix("orcid-")}
        # two different full names (accents and case aside) are never one person
        full = {slug(f"{p.given} {p.family}") for p in members if not is_initials(p.given or "")}
        assert len(full) <= 1, (key, members)
        # everyone of one person has one family name (accents and case aside)
        assert len({slug(p.family or "") for p in members}) == 1, (key, members)
        # and initials only join a full name they fit
        full_givens = {slug(p.given or "") for p in members if not is_initials(p.given or "")}
        for person in members:
            if is_initials(person.given or ""):
                assert all(g[:1] == slug(person.given or "")[:1] for g in full_givens), members


@SETTINGS
@given(st.lists(person_names(), min_size=1, max_size=10), st.randoms(use_true_random=False))
def test_who_is_who_does_not_depend_on_record_order(
    names: list[PersonName], rng: random.Random
) -> None:
    records = people(*names)
    shuffled = list(records)
    rng.shuffle(shuffled)
    ids, _ = resolve(records)
    again, _ = resolve(shuffled)
    assert [ids.person(n) for n in names] == [again.person(n) for n in names]


# --- journals ------------------------------------------------------------------------------------


def test_print_electronic_and_linking_issns_chain_into_one_journal() -> None:
    venues = [
        journal((P_ISSN, IssnKind.PRINT), (E_ISSN, IssnKind.ELECTRONIC), title="J Print"),
        journal((E_ISSN, IssnKind.ELECTRONIC), (L_ISSN, IssnKind.LINKING)),
        journal((P_ISSN, IssnKind.UNKNOWN)),  # a third source gives only the print ISSN
        journal((OTHER_ISSN, IssnKind.PRINT), title="Another journal"),
    ]
    ids, resolutions = resolve([record(i, venue=v) for i, v in enumerate(venues, 1)])
    assert [ids.journal(v) for v in venues[:3]] == [f"issn-{L_ISSN}"] * 3
    assert ids.journal(venues[3]) == f"issn-{OTHER_ISSN}"
    chains = [r for r in resolutions if r.kind == "journal" and r.merged]
    assert len(chains) == 1 and chains[0].key == f"issn-{L_ISSN}"
    assert len(chains[0].forms) == 3


def test_a_journal_key_is_the_print_issn_before_the_electronic_one() -> None:
    low_electronic = valid_issn("0000001")
    venues = [journal((low_electronic, IssnKind.ELECTRONIC)), journal((P_ISSN, IssnKind.PRINT))]
    venues.append(journal((low_electronic, IssnKind.UNKNOWN), (P_ISSN, IssnKind.UNKNOWN)))
    ids, _ = resolve([record(i, venue=v) for i, v in enumerate(venues, 1)])
    assert {ids.journal(v) for v in venues} == {f"issn-{P_ISSN}"}


def test_without_a_medium_the_lowest_issn_is_the_key() -> None:
    venue = journal((P_ISSN, IssnKind.UNKNOWN), (OTHER_ISSN, IssnKind.UNKNOWN))
    ids, _ = resolve([record(venue=venue)])
    assert ids.journal(venue) == f"issn-{min(P_ISSN, OTHER_ISSN)}"


@pytest.mark.parametrize("written", ["17556228", "1755-6228", "1755 6228", "ISSN 1755-6228"])
def test_an_issn_however_written_names_the_same_journal(written: str) -> None:
    venue = journal((written, IssnKind.UNKNOWN))
    ids, _ = resolve([record(venue=venue)])
    assert ids.journal(venue) == "issn-1755-6228"


def test_an_issn_with_a_wrong_check_digit_joins_no_chain() -> None:
    good = journal((P_ISSN, IssnKind.PRINT), title="Journal of Peer Work")
    wrong = journal(("1755-6229", IssnKind.ELECTRONIC), title="Another Title")
    only_wrong = journal(("1755-6229", IssnKind.PRINT))
    ids, _ = resolve([record(1, venue=good), record(2, venue=wrong), record(3, venue=only_wrong)])
    assert ids.journal(good) == f"issn-{P_ISSN}"
    assert ids.journal(wrong) == "another-title"
    assert ids.journal(only_wrong) == "issn-unverified-1755-6229"


def test_a_venue_without_issn_joins_the_one_journal_of_that_title() -> None:
    known = journal(
        (P_ISSN, IssnKind.PRINT),
        title="The Journal of Mental Health Training",
        short_title="JMHTEP",
    )
    same_title = journal(title="the journal of  MENTAL health training")
    abbreviation = journal(title="JMHTEP")
    unknown = journal(title="The Journal of Mental Health")
    venues = [known, same_title, abbreviation, unknown]
    ids, resolutions = resolve([record(i, venue=v) for i, v in enumerate(venues, 1)])
    assert [ids.journal(v) for v in venues] == [f"issn-{P_ISSN}"] * 3 + [
        "the-journal-of-mental-health"
    ]
    assert [r.forms for r in resolutions if r.kind == "journal" and r.merged] == [
        ("the journal of  MENTAL health training",),
        ("JMHTEP",),
    ]


def test_a_title_shared_by_two_journals_with_different_issns_joins_neither() -> None:
    one = journal((P_ISSN, IssnKind.PRINT), title="Mental Health Review")
    two = journal((OTHER_ISSN, IssnKind.PRINT), title="Mental Health Review")
    bare = journal(title="Mental Health Review")
    ids, resolutions = resolve([record(i, venue=v) for i, v in enumerate([one, two, bare], 1)])
    assert ids.journal(one) != ids.journal(two)
    assert ids.journal(bare) not in {ids.journal(one), ids.journal(two)}
    refused = [r for r in resolutions if not r.merged]
    assert len(refused) == 1 and refused[0].kind == "journal" and "2 journals" in refused[0].reason


def test_the_first_medium_named_for_an_issn_wins() -> None:
    says_print = journal((P_ISSN, IssnKind.PRINT))
    says_electronic = journal((P_ISSN, IssnKind.ELECTRONIC))
    unknown = journal((P_ISSN, IssnKind.UNKNOWN))
    ids, _ = resolve(
        [record(1, venue=unknown), record(2, venue=says_print), record(3, venue=says_electronic)]
    )
    assert ids.issn_kinds[P_ISSN] is IssnKind.PRINT
    ids, _ = resolve([record(1, venue=says_electronic), record(2, venue=says_print)])
    assert ids.issn_kinds[P_ISSN] is IssnKind.ELECTRONIC


SEVEN_DIGITS = st.text("0123456789", min_size=7, max_size=7)


@SETTINGS
@given(
    st.lists(SEVEN_DIGITS, min_size=2, max_size=6, unique=True),
    st.randoms(use_true_random=False),
)
def test_an_issn_chain_is_one_journal_in_any_order(digits: list[str], rng: random.Random) -> None:
    """Venues that each give two neighbours of a chain of ISSNs all name one journal."""
    issns = [valid_issn(d) for d in digits]
    kinds = [IssnKind.PRINT, IssnKind.ELECTRONIC, IssnKind.UNKNOWN]
    venues = [
        journal((a, kinds[i % 3]), (b, kinds[(i + 1) % 3]))
        for i, (a, b) in enumerate(itertools.pairwise(issns))
    ]
    rng.shuffle(venues)
    ids, _ = resolve([record(i, venue=v) for i, v in enumerate(venues, 1)])
    keys = {ids.journal(v) for v in venues}
    assert len(keys) == 1
    (key,) = keys
    assert key.removeprefix("issn-") in issns
    # every ISSN of the chain alone names that journal too
    assert {ids.journal(journal((i, IssnKind.UNKNOWN))) for i in issns} == {key}


# --- books ---------------------------------------------------------------------------------------


BOOK13 = "9781803824291"
BOOK10 = stdnum_isbn.to_isbn10(BOOK13)


def test_isbn_10_and_isbn_13_forms_are_one_book() -> None:
    forms = [
        book(BOOK13),
        book(BOOK10),
        book("978-1-80382-429-1"),
        book(stdnum_isbn.format(BOOK10)),
    ]
    ids, _ = resolve([record(i, venue=v, kind=WorkKind.CHAPTER) for i, v in enumerate(forms, 1)])
    assert {ids.book(v) for v in forms} == {f"isbn-{BOOK13}"}


def test_isbns_given_together_chain_into_one_book_keyed_by_the_lowest() -> None:
    electronic, other = valid_isbn13("183797562"), valid_isbn13("000000001")
    both = book(BOOK13, electronic)
    alone = book(electronic)
    elsewhere = book(other)
    ids, resolutions = resolve(
        [
            record(i, venue=v, kind=WorkKind.CHAPTER)
            for i, v in enumerate([alone, both, elsewhere], 1)
        ]
    )
    assert ids.book(alone) == ids.book(both) == f"isbn-{min(BOOK13, electronic)}"
    assert ids.book(elsewhere) == f"isbn-{other}"
    merged = [r for r in resolutions if r.kind == "book"]
    assert len(merged) == 1 and set(merged[0].forms) == {BOOK13, electronic}


def test_an_invalid_isbn_names_no_book_of_a_valid_one() -> None:
    wrong = book("9781803824292", title="A Book")
    ids, _ = resolve([record(1, venue=book(BOOK13)), record(2, venue=wrong)])
    assert ids.book(wrong) == "a-book"
    assert ids.book(book("9781803824292")) == "isbn-unverified-9781803824292"


def test_books_without_isbn_are_told_apart_by_volume() -> None:
    first = book(title="Advances in Peer Work", volume="1")
    second = book(title="Advances in Peer Work", volume="2")
    ids, _ = resolve([record(1, venue=first), record(2, venue=second)])
    assert ids.book(first) == "advances-in-peer-work/volume/1"
    assert ids.book(second) == "advances-in-peer-work/volume/2"


def test_a_books_own_record_names_it_before_a_chapter_does() -> None:
    chapter = record(
        1, kind=WorkKind.CHAPTER, venue=book(BOOK10, title="Lived experience at work"), title="Ch"
    )
    whole = record(
        2, kind=WorkKind.BOOK, venue=book(BOOK13), title="Lived Experience at Work: Peer Roles"
    )
    ids, _ = resolve([chapter, whole])
    assert ids.book_names[f"isbn-{BOOK13}"] == "Lived Experience at Work: Peer Roles"
    # and the book's own record is the book its chapters are in
    minter = Minter(identities=ids)
    assert minter.work(whole) == minter.book(chapter.venue)  # type: ignore[arg-type]


# --- works by DOI --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "10.1108/JMHTEP-09-2011-0012",
        "10.1108/jmhtep-09-2011-0012",
        "https://doi.org/10.1108/JMHTEP-09-2011-0012",
        "http://dx.doi.org/10.1108/JMHTEP-09-2011-0012",
        "doi:10.1108/JMHTEP-09-2011-0012",
        "  10.1108/JMHTEP-09-2011-0012 ",
    ],
)
def test_a_doi_however_written_is_one_work(written: str) -> None:
    minter = Minter()
    assert minter.work(record(doi=written, title="A")) == minter.work(
        record(doi="10.1108/jmhtep-09-2011-0012", title="B", year=2020)
    )


def test_records_with_one_doi_are_one_work_and_different_dois_never_are() -> None:
    authors = (name("Julie Repper"), name("Rachel Perkins"))
    records = [
        record(1, doi="10.5555/one", authors=authors, title="Peer support"),
        record(2, doi="https://doi.org/10.5555/ONE", title="Peer support: a review"),
        record(3, doi="10.5555/two", authors=authors, title="Peer support"),
    ]
    works, refused = group_works([SourcedRecord(r, INPUT) for r in records])
    assert [[m.record.number for m in w.members] for w in works] == [[1, 2], [3]]
    assert len(refused) == 1 and "DOIs differ" in refused[0].reason
    minter = Minter()
    assert minter.work(works[0].record) != minter.work(works[1].record)


def test_an_invalid_doi_is_no_identity() -> None:
    minter = Minter()
    one = record(1, doi="10.123/x", title="First paper")
    two = record(2, doi="10.123/x", title="Second paper")
    assert minter.work(one) != minter.work(two)
    assert "/doi/" not in minter.work(one)


# --- through the readers -------------------------------------------------------------------------


def read(reader: str, text: str) -> list[Record]:
    lines = text.split("\n")
    return [item for item in READERS[reader].read(lines, "inline") if isinstance(item, Record)]


def test_a_ris_export_and_a_bibtex_file_name_the_same_people_and_journal() -> None:
    ris = "\n".join(
        [
            "TY  - JOUR",
            "AU  - Repper, J.",
            "AU  - Perkins, Rachel",
            "AU  - Teague, Rosalind",
            "TI  - Peer support workers: theory and practice",
            "T2  - Mental Health and Social Inclusion",
            "PY  - 2012",
            "SN  - 2042-8308",
            "ER  - ",
            "",
        ]
    )
    bibtex = """@article{repper_2012,
  author = {Julie Repper and Perkins, R. and Teague, Rosalind},
  title = {Another paper},
  journal = {Mental health and social inclusion},
  year = {2013},
}
"""
    records = read("ris", ris) + read("bibtex", bibtex)
    assert len(records) == 2
    ids, _ = resolve(records)
    keys = [[ids.person(a) for a in r.authors] for r in records]
    assert keys[0] == keys[1] == ["julie-repper", "rachel-perkins", "rosalind-teague"]
    assert [ids.journal(r.venue) for r in records] == ["issn-2042-8308"] * 2  # type: ignore[arg-type]


def test_resolving_twice_gives_the_same_decisions() -> None:
    names = [name("Julie Repper"), name("Repper, J."), name("James Repper"), name("Lee, K.")]
    first = resolve(people(*names))
    second = resolve(people(*names))
    assert first == second


def test_the_merge_report_names_an_issns_medium_only_where_a_source_gave_it() -> None:
    venues = [
        journal((P_ISSN, IssnKind.PRINT), title="J Print"),
        journal((P_ISSN, IssnKind.UNKNOWN), (OTHER_ISSN, IssnKind.UNKNOWN), title="J Print"),
    ]
    _, resolutions = resolve([record(i, venue=v) for i, v in enumerate(venues, 1)])
    (chain,) = [r for r in resolutions if r.kind == "journal" and r.merged]
    assert sorted(chain.forms) == sorted([f"{P_ISSN} (print)", OTHER_ISSN])  # no "(unknown)"
