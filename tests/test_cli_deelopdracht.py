"""`python -m bot deelopdracht import|export` on SQLite and PostgreSQL: the WIJ example is
imported, exported and imported again unchanged; a bad file (in its shape, or in what only the
database knows: a gemeente, a code, a vindplek) is refused with its line and nothing of it is
stored; changes are audited."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlmodel import col, select

from bot.storage.db import session_factory, transaction
from bot.storage.models import (
    AuditLog,
    Deelopdracht,
    DeelopdrachtMeasure,
    DeelopdrachtMoment,
    Municipality,
    Vindplek,
)
from tests.test_team import cli
from tests.test_team import cli_env as cli_env  # the fixture

EXAMPLE = Path(__file__).parent.parent / "docs" / "deelopdracht-voorbeeld.yaml"


async def write(path: Path, text: str) -> str:
    await asyncio.to_thread(path.write_text, text, encoding="utf-8")
    return str(path)


async def state(engine) -> tuple:
    """Everything a deelopdracht import can touch (audit rows by entity and action)."""
    async with session_factory(engine)() as s:
        deel = [
            (d.code, d.title, d.starts_on, d.ends_on, d.active, d.goals, d.followup_weeks)
            for d in (await s.exec(select(Deelopdracht).order_by(Deelopdracht.code))).all()
        ]
        measures = [
            (m.id, m.deelopdracht_id, m.position, m.kind, m.target, m.window_months, m.filter)
            for m in (
                await s.exec(
                    select(DeelopdrachtMeasure)
                    .where(col(DeelopdrachtMeasure.deleted_at).is_(None))
                    .order_by(DeelopdrachtMeasure.id)
                )
            ).all()
        ]
        moments = sorted(
            (m.deelopdracht_id, m.on_date) for m in (await s.exec(select(DeelopdrachtMoment))).all()
        )
        audits = [
            (a.entity, a.action)
            for a in (
                await s.exec(
                    select(AuditLog)
                    .where(col(AuditLog.entity).startswith("deelopdracht"))
                    .order_by(AuditLog.id)
                )
            ).all()
        ]
    return deel, measures, moments, audits


async def test_the_example_round_trips(engine, cli_env, tmp_path, capsys):
    assert await cli("deelopdracht", "import", str(EXAMPLE)) == 0
    assert "1 created, 0 changed, 0 unchanged." in capsys.readouterr().out
    first = await state(engine)
    deel, measures, moments, audits = first
    assert [d[:2] for d in deel] == [
        (
            "wij-venlo",
            "Outreach naar inwoners die zorg mijden (naar het voorbeeld van WIJ Groningen)",
        )
    ]
    assert [(m[3], m[4], m[5], m[6]) for m in measures] == [
        ("new_residents", 25, 6, {"activity": ["outreach"]}),
        ("new_residents", 40, 12, {"activity": ["outreach"]}),
        ("key_figures", 5, None, None),
        ("non_use_known", 80, None, None),
        ("went_on", 80, None, None),
    ]
    assert [d.isoformat() for _id, d in moments] == ["2027-04-15", "2027-09-15"]
    assert audits == [
        ("deelopdracht", "create"),
        *[("deelopdracht_measure", "create")] * 5,
        *[("deelopdracht_moment", "create")] * 2,
    ]

    out = tmp_path / "out.yaml"
    assert await cli("deelopdracht", "export", "--code", "WIJ-venlo", str(out)) == 0
    exported = out.read_text(encoding="utf-8")
    assert "code: wij-venlo" in exported and "target: 80%" in exported
    capsys.readouterr()
    # Export -> import -> identical: nothing changes, nothing is audited.
    assert await cli("deelopdracht", "import", str(out)) == 0
    assert "0 created, 0 changed, 1 unchanged." in capsys.readouterr().out
    assert await state(engine) == first
    assert await cli("deelopdracht", "export") == 0  # all of them, to stdout
    assert capsys.readouterr().out == exported


async def test_an_import_updates_by_code_and_replaces_the_measures(engine, cli_env, tmp_path):
    async with transaction(session_factory(engine)) as s:
        venlo = (await s.exec(select(Municipality).where(Municipality.name == "Venlo"))).one()
        s.add(Vindplek(municipality_id=venlo.id, name="Buurthuis De Kolk"))
    assert await cli("deelopdracht", "import", str(EXAMPLE)) == 0
    _deel, before, _moments, audits_before = await state(engine)
    text = EXAMPLE.read_text(encoding="utf-8")
    changed = (
        text.replace("followup_weeks: 6", "followup_weeks: 8")
        .replace("  - 2027-09-15\n", "  - 2027-10-01\n")
        .replace(
            "    target: 5\n", "    target: 6\n    filter:\n      vindplek: [buurthuis de kolk]\n"
        )
    )
    assert await cli("deelopdracht", "import", await write(tmp_path / "b.yaml", changed)) == 0
    deel, measures, moments, audits = await state(engine)
    assert deel[0][-1] == 8
    assert [m[4] for m in measures] == [25, 40, 6, 80, 80]
    assert {m[0] for m in measures}.isdisjoint({m[0] for m in before})  # replaced as a whole
    place_filter = measures[2][6]
    async with session_factory(engine)() as s:
        kolk = (await s.exec(select(Vindplek).where(Vindplek.name == "Buurthuis De Kolk"))).one()
    assert place_filter == {"vindplek": [kolk.id]}
    assert [d.isoformat() for _id, d in moments] == ["2027-04-15", "2027-10-01"]
    new = audits[len(audits_before) :]
    assert new.count(("deelopdracht", "edit")) == 1
    assert new.count(("deelopdracht_measure", "delete")) == 5
    assert new.count(("deelopdracht_measure", "create")) == 5
    assert new.count(("deelopdracht_moment", "delete")) == 1
    assert new.count(("deelopdracht_moment", "create")) == 1


TWO = """\
deelopdrachten:
  - municipality: Weert
    code: weert-1
    title: Eerst goed
    measures:
      - kind: contacts
        target: 10
  - municipality: {muni}
    code: venlo-2
    title: Dan fout
    measures:
      - kind: referrals
        target: 3
        filter:
          referral: [wmo, {referral}]
          vindplek: [{place}]
"""


async def test_a_bad_file_is_refused_with_its_line_and_nothing_is_imported(
    engine, cli_env, tmp_path, capsys
):
    assert await cli("deelopdracht", "import", str(EXAMPLE)) == 0
    before = await state(engine)
    cases = [
        (
            TWO.format(muni="Atlantis", referral="ggz", place="x"),
            8,
            "onbekende gemeente 'Atlantis'",
        ),
        (
            TWO.format(muni="Venlo", referral="tandarts", place="x"),
            15,
            "onbekende code(s) in 'referral': tandarts",
        ),
        (
            TWO.format(muni="Venlo", referral="ggz", place="Nergens"),
            16,
            "de vindplek 'Nergens' bestaat niet in deze gemeente",
        ),
        (
            # The WIJ deelopdracht changed, then a second one in the file is wrong: neither.
            "deelopdrachten:\n  - municipality: Venlo\n    code: wij-venlo\n    title: Anders\n"
            "    measures: [{kind: contacts, target: 3}]\n"
            "  - municipality: venlo\n    code: tweede\n    title: Y\n    measures:\n"
            "      - kind: contacts\n        target: 1\n        filter: {theme: [kleuren]}\n",
            12,
            "onbekende code(s) in 'theme': kleuren",
        ),
        (
            EXAMPLE.read_text(encoding="utf-8").replace(
                "municipality: Venlo", "municipality: Weert"
            ),
            26,
            "'wij-venlo' hoort bij een andere gemeente",
        ),
    ]
    for n, (content, line, message) in enumerate(cases):
        path = await write(tmp_path / f"bad{n}.yaml", content)
        assert await cli("deelopdracht", "import", path) == 1, content
        err = capsys.readouterr().err
        assert f"regel {line}: " in err and message in err, err
        assert "Er is niets geïmporteerd." in err
        assert await state(engine) == before


async def test_export_of_an_unknown_code_says_so(engine, cli_env, capsys):
    assert await cli("deelopdracht", "export", "--code", "nope") == 1
    assert "no deelopdracht with short name 'nope'" in capsys.readouterr().err
