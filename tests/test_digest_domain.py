"""Pure digest logic: ISO weeks, when a digest is due, fair shares, rendering and splitting."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import digest as dg
from bot.domain.counts import Counts
from bot.domain.digest import IsoWeek, MunicipalityWeek, Note, WeekDigest, WeekTotals
from bot.i18n import translator
from tests.support import assert_contains

TZ = ZoneInfo("Europe/Amsterdam")
NL = translator("nl")
EN = translator("en")


def test_iso_week_parse_and_bounds():
    w = IsoWeek.parse("2026-W47")
    assert (w.monday, w.sunday) == (date(2026, 11, 16), date(2026, 11, 22))
    assert str(w) == "2026-W47"
    assert IsoWeek.parse("2026w7") == IsoWeek(2026, 7)
    assert IsoWeek.of(date(2027, 1, 1)) == IsoWeek(2026, 53)  # 2026 has 53 ISO weeks
    assert IsoWeek(2026, 53).shift(1) == IsoWeek(2027, 1)
    assert IsoWeek(2027, 1).shift(-1) == IsoWeek(2026, 53)
    for bad in ("2026-W54", "2025-W53", "W47", "2026-47", ""):
        with pytest.raises(ValueError):
            IsoWeek.parse(bad)


def at(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=TZ).astimezone(UTC)


def test_digest_due_monday_0830():
    due = lambda now: dg.digest_due(now, TZ, 1, time(8, 30))  # noqa: E731
    # Monday 23 Nov 2026 08:29: the digest of week 47 is not due yet; week 46's is.
    week, moment = due(at(2026, 11, 23, 8, 29))
    assert week == IsoWeek(2026, 46)
    assert moment == at(2026, 11, 16, 8, 30)
    week, moment = due(at(2026, 11, 23, 8, 30))
    assert week == IsoWeek(2026, 47)
    assert moment == at(2026, 11, 23, 8, 30)
    # Down all Monday, back on Thursday: still week 47 (catch up).
    assert due(at(2026, 11, 26, 12))[0] == IsoWeek(2026, 47)
    # Sunday evening: still week 47 until the next Monday morning.
    assert due(at(2026, 11, 29, 23, 59))[0] == IsoWeek(2026, 47)


def test_digest_due_across_dst_and_new_year():
    due = lambda now: dg.digest_due(now, TZ, 1, time(8, 30))  # noqa: E731
    # Monday 30 March 2026 (first day of summer time): 08:30 CEST = 06:30 UTC.
    week, moment = due(at(2026, 3, 30, 8, 30))
    assert week == IsoWeek(2026, 13) and moment == datetime(2026, 3, 30, 6, 30, tzinfo=UTC)
    assert due(at(2026, 3, 30, 8, 29))[0] == IsoWeek(2026, 12)
    # Monday 26 Oct 2026 (first day of winter time): 08:30 CET = 07:30 UTC.
    week, moment = due(at(2026, 10, 26, 8, 30))
    assert week == IsoWeek(2026, 43) and moment == datetime(2026, 10, 26, 7, 30, tzinfo=UTC)
    assert due(at(2027, 1, 4, 9))[0] == IsoWeek(2026, 53)


def munis(*rows):
    return [MunicipalityWeek(n, k, Counts(c), i) for n, k, c, i in rows]


def test_fair_shares_add_up_and_deviate():
    rows = munis(("Venlo", 50.0, 600, 0), ("Horst", 30.0, 0, 120), ("Beesel", 20.0, 0, 0))
    shares = {r.name: r for r in dg.fair_shares(rows)}
    assert shares["Venlo"].share_minutes == pytest.approx(360)
    assert shares["Venlo"].deviation_minutes == pytest.approx(240)
    assert shares["Horst"].deviation_minutes == pytest.approx(120 - 216)
    assert shares["Beesel"].deviation_pct == pytest.approx(-100)
    assert sum(r.deviation_minutes for r in shares.values()) == pytest.approx(0)


def test_fair_shares_normalise_keys_and_handle_empty_week():
    rows = munis(("A", 33.3, 60, 0), ("B", 66.6, 60, 0))
    assert sum(r.share_minutes for r in dg.fair_shares(rows)) == pytest.approx(120)
    empty = dg.fair_shares(munis(("A", 50, 0, 0), ("B", 50, 0, 0)))
    assert all(r.share_minutes == 0 and r.deviation_pct is None for r in empty)


@given(
    st.lists(
        st.tuples(st.floats(0, 40), st.integers(0, 5000), st.integers(0, 5000)),
        min_size=1,
        max_size=14,
    )
)
def test_fair_shares_property(rows):
    ms = [MunicipalityWeek(f"m{i}", k, Counts(c), d) for i, (k, c, d) in enumerate(rows)]
    out = dg.fair_shares(ms)
    if sum(k for k, _c, _d in rows) > 0:
        assert sum(r.share_minutes for r in out) == pytest.approx(sum(m.minutes for m in ms))
        assert sum(r.deviation_minutes for r in out) == pytest.approx(0, abs=1e-6)


def test_suppress_small():
    assert dg.suppress_small(0, 5) == "0"
    assert dg.suppress_small(1, 5) == "<5"
    assert dg.suppress_small(4, 5) == "<5"
    assert dg.suppress_small(5, 5) == "5"
    assert dg.suppress_small(3, 3) == "3"


def sample(**kw) -> WeekDigest:
    base = dict(
        week=IsoWeek(2026, 47),
        municipalities=munis(("Venlo", 28.47, 600, 60), ("Beesel", 3.0, 0, 0)),
        regional_indirect_minutes=90,
        themes=[dg.ThemeRow("Armoede (geldzorgen)", Counts(0, 3, 5, 2))],
        activities=[dg.LabelCount("1-op-1 contact", 3, 600)],
        referrals=[dg.LabelCount("Schuldhulp", 2)],
        signals=[Note("Geen <inloop> in Arcen & Velden", "gemist aanbod", "Venlo")],
        stories=[Note("Ze durfde\nweer te bellen", "", "")],
        silent_experts=[dg.ExpertName("Bert <b>", "Beesel")],
        blocked_experts=[dg.ExpertName("Cees", "")],
        trend=[
            (IsoWeek(2026, 44), WeekTotals(300, 2, 2)),
            (IsoWeek(2026, 45), WeekTotals(420, 3, 4)),
            (IsoWeek(2026, 46), WeekTotals(600, 4, 6)),
            (IsoWeek(2026, 47), WeekTotals(750, 3, 5)),
        ],
    )
    base.update(kw)
    return WeekDigest(**base)


def test_render_contains_the_numbers_and_escapes_text():
    html = dg.render_digest(sample(), NL)
    assert_contains(
        html,
        "Weekoverzicht week 47",
        # Venlo: 11 h; basis 11 h, keys 28.47 + 3 -> share 9,95 h, shown 10 -> +1,0 h (+10%).
        "<b>Venlo</b>: 11 uur · deel 10 · +1,0 (+10%)",
        "<b>Beesel</b>: 0 uur · deel 1 · −1,0",
        "Regionaal (indirect, zonder gemeente): 1,5 uur, niet verdeeld",
        "Uren: 12,5 uur (vorige week 10, +2,5)",
        "Uren in weken 44–47: 5 → 7 → 10 → 12,5",
        # Theme labels as in every view: without their explanation in brackets.
        "Armoede: 3 contacten · 5 inwoners (2 nieuw, 3 bekend)",
        "Geen &lt;inloop&gt; in Arcen &amp; Velden",
        "Ze durfde weer te bellen",  # one note, one line
        "Bert &lt;b&gt; (Beesel)",
    )
    assert "(geldzorgen)" not in html
    assert "Cees" in html.split("Bot geblokkeerd")[1]
    assert "<inloop>" not in html


def test_deviation_is_the_shown_hours_minus_the_shown_share_with_one_decimal():
    # Venlo 22,75 h and Horst 12,67 h, equal keys: each share 17,71 h. The raw deviation is
    # 5,04 h; the reader sees 22,8 - 17,7, so the line says +5,1, always with one decimal.
    rows = munis(("Venlo", 50.0, 1365, 0), ("Horst", 50.0, 760, 0))
    html = dg.render_digest(sample(municipalities=rows), NL)
    assert_contains(
        html,
        "<b>Venlo</b>: 22,8 uur · deel 17,7 · +5,1 (+29%)",
        "<b>Horst</b>: 12,7 uur · deel 17,7 · −5,0 (−28%)",
    )


def test_counts_per_municipality_take_singular_and_plural():
    one = [MunicipalityWeek("Venlo", 50.0, Counts(60, contacts=1, residents=1, new=1), 0)]
    html = dg.render_digest(sample(municipalities=one), NL)
    assert "1 contact, 1 inwoner (1 nieuw)" in html
    two = [MunicipalityWeek("Venlo", 50.0, Counts(60, contacts=2, residents=3, new=0), 0)]
    html = dg.render_digest(sample(municipalities=two), NL)
    assert "2 contacten, 3 inwoners (0 nieuw)" in html


def test_render_in_english_and_without_history():
    html = dg.render_digest(sample(trend=[]), EN)
    assert "Weekoverzicht" not in html  # translated
    assert "12.5" in html  # English number format


def test_render_every_line_is_balanced():
    for line in dg.render_digest(sample(), NL).split("\n"):
        assert balanced(line), line


def test_many_notes_are_capped():
    notes = [Note(f"signaal {i}") for i in range(dg.MAX_NOTES + 7)]
    html = dg.render_digest(sample(signals=notes), NL)
    assert f"signaal {dg.MAX_NOTES - 1}" in html and f"signaal {dg.MAX_NOTES}<" not in html
    assert "en nog 7 meer" in html


def test_chart_bars_largest_key_first():
    bars = dg.chart_bars(sample())
    assert [b.name for b in bars] == ["Venlo", "Beesel"]
    assert bars[0].hours == pytest.approx(11)


# --------------------------------------------------------------------------- splitting

TAG = re.compile(r"<(/?)([a-z-]+)[^>]*>")


def balanced(html: str) -> bool:
    stack = []
    for m in TAG.finditer(html):
        if m.group(1):
            if not stack or stack.pop() != m.group(2):
                return False
        else:
            stack.append(m.group(2))
    return not stack


def visible(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]*>", "", html))


def test_split_at_line_boundaries():
    lines = [f"<b>regel {i}</b> " + "x" * 50 for i in range(200)]
    chunks = dg.split_html("\n".join(lines), 1000)
    assert len(chunks) > 5
    assert all(dg.utf16_len(c) <= 1000 for c in chunks)
    assert all(c.split("\n")[0].startswith("<b>regel") for c in chunks)
    assert "\n".join(chunks) == "\n".join(lines)


def test_split_one_huge_line_keeps_tags_and_entities_whole():
    line = "<i>" + "&amp; woord " * 2000 + "</i>"
    chunks = dg.split_html(line, 4096)
    assert len(chunks) >= 5
    for c in chunks:
        assert dg.utf16_len(c) <= 4096
        assert c.startswith("<i>") and c.endswith("</i>")
        assert balanced(c)
        assert not re.search(r"&[a-z]*$|&[a-z]*<", c)
    assert visible("".join(chunks)) == visible(line)


def test_split_counts_utf16_units():
    emoji = "🙂" * 3000  # 2 UTF-16 units each
    chunks = dg.split_html(emoji, 4096)
    assert all(dg.utf16_len(c) <= 4096 for c in chunks)
    assert "".join(chunks) == emoji


def test_split_drops_blank_chunks():
    assert dg.split_html("\n\n\n") == []
    assert dg.split_html("a\n\n\nb", 64) == ["a\n\n\nb"]


texts = st.text(alphabet=st.sampled_from(list("ab &<>\n🙂é")), max_size=400)


@st.composite
def html_docs(draw):
    parts = []
    for _ in range(draw(st.integers(1, 30))):
        text = draw(texts).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        tag = draw(st.sampled_from(["", "b", "i", "code"]))
        parts.append(f"<{tag}>{text}</{tag}>" if tag else text)
        parts.append(draw(st.sampled_from(["", "\n", " "])))
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(html_docs(), st.integers(64, 600))
def test_split_property(doc, limit):
    chunks = dg.split_html(doc, limit)
    for c in chunks:
        assert dg.utf16_len(c) <= limit
        assert balanced(c)
        assert visible(c)
    assert visible("".join(chunks)) == visible(doc)


def test_real_digest_splits_under_telegram_limit():
    notes = [Note("Een lang signaal " * 30, "trend", "Venlo") for _ in range(30)]
    html = dg.render_digest(sample(signals=notes, stories=notes), NL)
    assert dg.utf16_len(html) > dg.MAX_MESSAGE
    chunks = dg.split_html(html)
    assert len(chunks) >= 2
    assert all(dg.utf16_len(c) <= dg.MAX_MESSAGE and balanced(c) for c in chunks)
