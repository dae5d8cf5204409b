"""Plain unit tests for the contact draft: JSON round trip, defaults, step order, validation."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import contact_deel
from bot.domain import contact_draft as cdm
from bot.domain.contact_deel import DeelChoice
from bot.domain.contact_draft import ContactDraft, LastEntry, VocabItem

TODAY = date(2026, 11, 17)
LAST = LastEntry(
    municipality_id=3,
    vindplek_id=7,
    activity="inloop",
    themes=("armoede", "eenzaamheid"),
    residents_count=2,
    residents_new=2,
    duration_minutes=45,
    reach="inloop",
    deelopdracht_id=4,
)


def complete(**changes) -> ContactDraft:
    base = ContactDraft(
        work_date=TODAY,
        municipality_id=3,
        activity="inloop",
        themes=["armoede"],
        residents_count=1,
        residents_new=0,
        duration_minutes=30,
    )
    return base.copy(**changes)


def test_round_trip_through_json_data():
    cd = complete(story="Ze ging mee naar de schuldhulp.", new_vindplek="Buurthuis De Kolk")
    cd.history = ["date", "gemeente"]
    again = ContactDraft.from_data(cd.to_data())
    assert again == cd
    assert again.to_data()["work_date"] == "2026-11-17"
    # values(): the contact itself, without the dialogue's bookkeeping.
    bookkeeping = {"mode", "history", "from_last", "questions", "editing_id"}
    bookkeeping |= {"deel_chosen", "deel_needs", "pending"}
    assert set(cd.values()) == set(cd.to_data()) - bookkeeping
    assert cd.values() == cd.copy(history=["x"], mode="edit", from_last=True).values()


def test_from_data_ignores_unknown_keys_and_handles_empty():
    assert ContactDraft.from_data(None) == ContactDraft()
    assert ContactDraft.from_data({"bogus": 1, "themes": None}).themes == []


def test_first_contact_walks_the_steps_from_today_and_home():
    cd = cdm.initial_draft(TODAY, last=None, home_municipality_id=5)
    assert (cd.work_date, cd.municipality_id, cd.mode, cd.from_last) == (TODAY, 5, "steps", False)
    assert cdm.first_state(cd) == "date"
    assert cdm.missing(cd) == ["activity", "themes", "residents", "new", "duration"]


def test_repeat_contact_opens_on_the_summary_with_last_values():
    cd = cdm.initial_draft(TODAY, last=LAST, home_municipality_id=5, deelopdracht_active=True)
    assert cd.from_last and cd.mode == "edit"
    assert cdm.first_state(cd) == cdm.SUMMARY
    assert (cd.municipality_id, cd.vindplek_id, cd.activity) == (3, 7, "inloop")
    assert cd.themes == ["armoede", "eenzaamheid"]
    assert (cd.residents_count, cd.residents_new, cd.duration_minutes) == (2, 2, 45)
    assert cd.work_date == TODAY and cd.referral is None and cd.story is None
    assert cd.deelopdracht_id == 4
    # A deelopdracht that ended is not carried over.
    ended = cdm.initial_draft(TODAY, last=LAST, home_municipality_id=5, deelopdracht_active=False)
    assert ended.deelopdracht_id is None


def test_step_order_skips_deelopdracht_without_active_ones():
    cd = complete(residents_count=2, activity="training")
    order = []
    state = "date"
    while state != cdm.SUMMARY:
        order.append(state)
        state = cdm.next_state(cd, state, has_deelopdrachten=False)
    # Drempels only when a deelopdracht needs them; referral, story and the relation to care
    # are added from the summary (issue 15: fewer taps).
    skipped = ("deelopdracht", "nonuse", "referral", "story", "care")
    assert order == [s for s in cdm.STEPS if s not in skipped]
    assert cdm.next_state(cd, "reach", has_deelopdrachten=True) == "deelopdracht"
    assert cdm.next_state(cd, "reach", has_deelopdrachten=False) == cdm.SUMMARY


def test_fill_mode_only_visits_missing_required_steps():
    cd = ContactDraft(work_date=TODAY, municipality_id=3, activity="inloop", mode="fill")
    cd.duration_minutes = 45
    assert cdm.first_state(cd) == "themes"
    cd.themes = ["armoede"]
    assert cdm.next_state(cd, "themes", has_deelopdrachten=True) == "residents"
    cd.residents_count = 2
    assert cdm.next_state(cd, "residents", has_deelopdrachten=True) == "new"
    cd.residents_new = 2
    assert cdm.next_state(cd, "new", has_deelopdrachten=True) == cdm.SUMMARY


def test_edit_mode_returns_to_summary_with_follow_ups():
    cd = complete(mode="edit")
    assert cdm.next_state(cd, "duration", has_deelopdrachten=True) == cdm.SUMMARY
    assert cdm.next_state(cd, "gemeente", has_deelopdrachten=True) == "vindplek"
    assert cdm.next_state(cd, "residents", has_deelopdrachten=True) == "new"


def test_changing_municipality_drops_its_vindplek_and_deelopdracht():
    cd = complete(vindplek_id=7, deelopdracht_id=4)
    cd.set_municipality(3)
    assert cd.vindplek_id == 7
    cd.set_municipality(9)
    assert (cd.vindplek_id, cd.new_vindplek, cd.deelopdracht_id) == (None, None, None)


@pytest.mark.parametrize(
    ("count", "new", "to", "expected_new"),
    [(2, 2, 5, 5), (2, 0, 5, 0), (4, 1, 3, 1), (4, 3, 2, 2), (1, None, 3, None)],
)
def test_changing_count_keeps_all_new_or_known(count, new, to, expected_new):
    cd = complete(residents_count=count, residents_new=new)
    cd.set_count(to)
    assert (cd.residents_count, cd.residents_new) == (to, expected_new)


def test_toggle_theme():
    cd = complete(themes=["armoede"])
    cd.toggle_theme("schulden")
    cd.toggle_theme("armoede")
    assert cd.themes == ["schulden"]


def test_new_known():
    assert cdm.new_known(complete(residents_count=3, residents_new=3)) == "new"
    assert cdm.new_known(complete(residents_count=3, residents_new=0)) == "known"
    assert cdm.new_known(complete(residents_count=3, residents_new=1)) == "mixed"
    assert cdm.new_known(complete(residents_new=None)) is None


def test_date_limits():
    assert cdm.check_date(TODAY, TODAY, 14) is None
    assert cdm.check_date(date(2026, 11, 3), TODAY, 14) is None
    assert cdm.check_date(date(2026, 11, 2), TODAY, 14) == "too_old"
    assert cdm.check_date(date(2026, 11, 18), TODAY, 14) == "future"


def test_duration_count_and_new_limits():
    assert cdm.check_duration(45) is None
    assert cdm.check_duration(12 * 60) is None
    assert cdm.check_duration(30 * 60) == "too_long"
    assert cdm.check_duration(0) == "too_short"
    assert cdm.check_count(1) is None and cdm.check_count(0) == "too_few"
    assert cdm.check_count(501) == "too_many"
    assert cdm.check_new(2, 2) is None and cdm.check_new(3, 2) == "more_than_count"


def test_story_and_vindplek_name_checks():
    assert cdm.check_story_length("kort") == "too_short"
    assert cdm.check_story_length("x" * 5000) == "too_long"
    assert cdm.check_story_length("Hij durft nu zelf te bellen.") is None
    assert cdm.check_vindplek_name("🙂") == "no_letters"
    assert cdm.check_vindplek_name("x" * 81) == "too_long"
    assert cdm.check_vindplek_name("  bibliotheek   venlo ") is None
    assert cdm.clean_name("  bibliotheek   venlo ") == "Bibliotheek venlo"


def test_parse_count():
    assert cdm.parse_count(" 12 ") == 12
    assert cdm.parse_count("5+") == 5
    assert cdm.parse_count("Twee") == 2 and cdm.parse_count("één") == 1
    for bad in ("veel", "🙂", "-3", "1,5", "", "9" * 20, "²"):
        assert cdm.parse_count(bad) is None


def test_day_total():
    assert cdm.day_total_too_high(9 * 60, 45, 10) == (False, 585)
    assert cdm.day_total_too_high(9 * 60 + 30, 45, 10) == (True, 615)
    assert cdm.day_total_too_high(0, 600, 10) == (False, 600)


def test_summary_items_follow_dialogue_and_flag_missing():
    items = cdm.summary_items(complete(themes=[]), has_deelopdrachten=False)
    steps = [i.step for i in items]
    assert steps == [
        "date",
        "gemeente",
        "activity",
        "themes",
        "residents",
        "duration",
        "reach",
        "referral",
        "story",
        "care",
    ]
    assert [i.step for i in items if i.missing] == ["themes"]
    with_deel = cdm.summary_items(complete(), has_deelopdrachten=True)
    assert "deelopdracht" in [i.step for i in with_deel]


THEMES = [
    VocabItem(1, "armoede", "armoede (geldzorgen)", ("armoede", "geldzorgen", "geld")),
    VocabItem(2, "eenzaamheid", "eenzaamheid (sociaal isolement)", ("eenzaam", "isolement")),
    VocabItem(3, "schulden", "schulden", ("schulden", "schuld")),
    VocabItem(4, "huiselijk_geweld", "huiselijk geweld", ("huiselijk geweld", "geweld")),
]


def test_match_vocab_by_code_label_alias_and_typo():
    assert cdm.match_vocab("Armoede", THEMES).code == "armoede"
    assert cdm.match_vocab("geldzorgen", THEMES).code == "armoede"
    assert cdm.match_vocab("eenzaamhied", THEMES).code == "eenzaamheid"
    assert cdm.match_vocab("huiselijk geweld", THEMES).code == "huiselijk_geweld"
    assert cdm.match_vocab("voetbal", THEMES) is None
    assert cdm.match_vocab("🙂", THEMES) is None


def test_match_vocab_list():
    found, unknown = cdm.match_vocab_list("armoede, eenzaamheid en schuld", THEMES)
    assert [f.code for f in found] == ["armoede", "eenzaamheid", "schulden"]
    assert unknown == []
    found, unknown = cdm.match_vocab_list("armoede eenzaam", THEMES)
    assert [f.code for f in found] == ["armoede", "eenzaamheid"]
    found, unknown = cdm.match_vocab_list("armoede, voetbal", THEMES)
    assert unknown == ["voetbal"]


@given(st.text(max_size=200))
def test_matchers_never_crash(text):
    cdm.match_vocab(text, THEMES)
    cdm.match_vocab_list(text, THEMES)
    cdm.parse_count(text)
    cdm.check_vindplek_name(text)


def test_steps_that_follow_from_earlier_answers_are_skipped():
    cd = ContactDraft(work_date=TODAY, municipality_id=3, mode="steps")
    cdm.set_activity(cd, "inloop")
    assert cd.reach == "inloop"
    # Reach follows from inloop; referral and story come from the summary.
    assert cdm.next_state(cd, "duration", has_deelopdrachten=False) == cdm.SUMMARY
    cdm.set_activity(cd, "training")  # the implied reach goes with the activity it came from
    assert cd.reach is None
    assert cdm.next_state(cd, "duration", has_deelopdrachten=False) == "reach"
    cd.reach = "zelf"
    cdm.set_activity(cd, "inloop")  # a chosen reach stays
    assert cd.reach == "zelf"
    cd.residents_count, cd.residents_new = 1, 1  # "Eén, nieuw": no new/known step
    assert cdm.next_state(cd, "residents", has_deelopdrachten=False) == "duration"
    cd.residents_count, cd.residents_new = 3, 3
    assert cdm.next_state(cd, "residents", has_deelopdrachten=False) == "new"


# --------------------------------------------------------------------------- deelopdrachten

WIJ = DeelChoice(1, frozenset({"non_use_known", "went_on"}))
JONG = DeelChoice(2, frozenset({"contacts"}), frozenset({7}))


def test_the_default_deelopdracht():
    assert contact_deel.default_deelopdracht([], None) is None
    assert contact_deel.default_deelopdracht([WIJ], None) == 1  # the only one
    assert contact_deel.default_deelopdracht([WIJ, JONG], None) is None  # a real choice
    assert contact_deel.default_deelopdracht([WIJ, JONG], 7) == 2  # its measure names the place
    assert contact_deel.default_deelopdracht([WIJ, JONG], 8) is None


def test_settle_respects_the_experts_choice_and_sets_what_the_measures_need():
    cd = complete(residents_new=1)
    contact_deel.settle(cd, [WIJ])
    assert (cd.deelopdracht_id, cd.deel_needs) == (1, ["nonuse"])
    assert cdm.needs_non_use(cd) and not cdm.skippable(cd, "nonuse")
    assert cdm.missing(cd) == ["nonuse"]
    contact_deel.choose(cd, None, [WIJ])  # "not under a deelopdracht"
    contact_deel.settle(cd, [WIJ])
    assert (cd.deelopdracht_id, cd.deel_needs, cdm.missing(cd)) == (None, [], [])
    # Another municipality: the choice is gone, the default applies there.
    cd.set_municipality(9)
    contact_deel.settle(cd, [JONG])
    assert (cd.deelopdracht_id, cd.deel_needs) == (2, [])
    # Several fit and nothing chosen: asked in the walk.
    fresh = complete()
    contact_deel.settle(fresh, [WIJ, JONG])
    assert contact_deel.has_choice(fresh, [WIJ, JONG])
    assert cdm.next_state(fresh.copy(mode="steps"), "reach", has_deelopdrachten=True) == (
        "deelopdracht"
    )


def test_a_deelopdracht_takes_contacts_by_their_day_in_its_period():
    """Audit finding 4: the contact's day decides, not whether it still runs today."""
    start, end = date(2026, 1, 1), date(2026, 12, 1)
    takes = contact_deel.takes_contacts_on
    assert takes(date(2026, 11, 30), start, end, active=False)  # ended since, day inside
    assert takes(end, start, end, active=False)  # its last day
    assert not takes(date(2026, 12, 2), start, end, active=False)
    assert not takes(date(2025, 12, 31), start, end, active=True)
    assert takes(date(2030, 1, 1), start, None, active=True)  # open-ended and running
    assert not takes(date(2026, 6, 1), start, None, active=False)  # ended without an end date


def test_a_chosen_deelopdracht_the_day_no_longer_fits_is_dropped():
    cd = complete()
    contact_deel.choose(cd, 1, [WIJ, JONG])
    contact_deel.settle(cd, [JONG])  # the day changed: only JONG takes it
    assert (cd.deelopdracht_id, cd.deel_chosen) == (2, False)
    contact_deel.choose(cd, None, [JONG])  # "none" stays a choice
    contact_deel.settle(cd, [JONG])
    assert (cd.deelopdracht_id, cd.deel_chosen) == (None, True)


def test_drempels_only_for_new_residents_and_weet_ik_niet_is_an_answer():
    cd = complete(residents_count=2, residents_new=2, deel_needs=["nonuse"])
    assert cdm.next_state(cd.copy(mode="steps"), "deelopdracht", has_deelopdrachten=False) == (
        "nonuse"
    )
    assert not contact_deel.non_use_done(cd)  # "Klaar" needs one
    contact_deel.toggle_non_use(cd, "schaamte")
    contact_deel.toggle_non_use(cd, "taal")
    contact_deel.toggle_non_use(cd, "taal")
    assert contact_deel.non_use_done(cd)
    assert contact_deel.stored_non_use(cd) == (True, ["schaamte"])
    contact_deel.non_use_unknown(cd)
    assert contact_deel.stored_non_use(cd) == (False, [])
    assert cdm.missing(cd) == []
    # Known residents only: nothing is stored, nothing asked.
    known = cd.copy(residents_new=0, non_use=["schaamte"], non_use_known=True)
    assert contact_deel.stored_non_use(known) == (None, [])
    assert not cdm.needs_non_use(known)
    assert "nonuse" not in [i.step for i in cdm.summary_items(known, has_deelopdrachten=True)]


@given(
    n_options=st.integers(0, 4),
    vindplek=st.one_of(st.none(), st.integers(1, 5)),
    places=st.lists(st.frozensets(st.integers(1, 5), max_size=2), min_size=4, max_size=4),
)
def test_a_default_is_one_of_the_options_and_only_without_a_choice(n_options, vindplek, places):
    options = [DeelChoice(i + 1, frozenset(), places[i]) for i in range(n_options)]
    chosen = contact_deel.default_deelopdracht(options, vindplek)
    assert chosen is None or chosen in {o.id for o in options}
    if n_options == 1:
        assert chosen == 1
    if chosen is not None and n_options > 1:
        assert vindplek is not None and vindplek in options[chosen - 1].vindplek_ids
