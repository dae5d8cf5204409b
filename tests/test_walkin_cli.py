"""`python -m bot inloop import|list`, run in-process through `bot.cli.main` against the test
database (SQLite and PostgreSQL): good files, bad files with line numbers, idempotency."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.cli import main
from bot.storage.db import session_factory
from bot.storage.models import WalkInSession
from tests.support import run_on_engine

SAMPLE = Path(__file__).resolve().parent.parent / "bot" / "data" / "inloop_voorbeeld.csv"
SAMPLE_ROWS = 23


def _sessions(db_url: str) -> list[tuple[str, str, bool]]:
    async def read(engine: AsyncEngine) -> list[tuple[str, str, bool]]:
        async with session_factory(engine)() as s:
            rows = (await s.exec(select(WalkInSession).order_by(WalkInSession.id))).all()
            return [(r.place, r.address, r.active) for r in rows]

    return run_on_engine(db_url, read)


def _count(db_url: str) -> int:
    async def read(engine: AsyncEngine) -> int:
        async with session_factory(engine)() as s:
            return (await s.exec(select(func.count()).select_from(WalkInSession))).one()

    return run_on_engine(db_url, read)


@pytest.fixture
def cli_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db_url


def test_import_sample_then_again_changes_nothing(cli_db, capsys):
    assert main(["inloop", "import", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert f"{SAMPLE_ROWS} nieuw / new, 0 gewijzigd / updated, 0 ongewijzigd" in out
    first = _sessions(cli_db)
    assert len(first) == SAMPLE_ROWS
    assert ("Buurthuis De Kolk", "Kolkstraat 14 Venlo", True) in first

    assert main(["inloop", "import", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert f"0 nieuw / new, 0 gewijzigd / updated, {SAMPLE_ROWS} ongewijzigd" in out
    assert _sessions(cli_db) == first


def test_changed_file_updates_in_place(cli_db, tmp_path, capsys):
    assert main(["inloop", "import", str(SAMPLE)]) == 0
    changed = SAMPLE.read_text("utf-8").replace("Kolkstraat 14 Venlo", "Kolkstraat 16 Venlo")
    path = tmp_path / "nieuw.csv"
    path.write_text(changed, "utf-8")
    capsys.readouterr()
    assert main(["inloop", "import", str(path)]) == 0
    assert "0 nieuw / new, 1 gewijzigd / updated" in capsys.readouterr().out
    rows = _sessions(cli_db)
    assert len(rows) == SAMPLE_ROWS
    assert ("Buurthuis De Kolk", "Kolkstraat 16 Venlo", True) in rows


def test_bad_file_reports_every_line_and_imports_nothing(cli_db, tmp_path, capsys):
    path = tmp_path / "fout.csv"
    path.write_text(
        "gemeente,plek,adres,weekdag,begin,einde,open_op_feestdagen,opmerking\n"
        "Venlo,Buurthuis De Kolk,Kolkstraat 14,dinsdag,10:00,12:00,nee\n"  # fine on its own
        "Amsterdam,Het Huis,Damrak 1,dinsdag,10:00,12:00,nee\n"
        "Weert,Fatima,Fatimaplein 2,dinsdg,10:00,12:00,nee\n"
        "Venray,De Brug,Brugstraat 5,ma,12:00,10:00,misschien\n"
        "Venlo,Buurthuis De Kolk,Kolkstraat 14,di,10:00,12:00,nee\n"
        "Venlo,Huiskamer,Markt 1,vr,10:00,12:00,nee,Bel Jan: 06-12345678\n",
        "utf-8",
    )
    assert main(["inloop", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "niets ingelezen / nothing was imported" in err
    # Dutch, then English, each with the physical line number.
    assert 'Regel 3: de gemeente of het dorp "Amsterdam" ken ik niet' in err
    assert 'Line 3: unknown municipality or village "Amsterdam"' in err
    assert 'Regel 4: "dinsdg" is geen weekdag' in err
    assert 'Line 4: "dinsdg" is not a weekday' in err
    assert "Regel 5: het einde" in err and "Line 5: the end" in err
    assert 'Regel 5: "misschien" is geen ja of nee' in err
    assert "Regel 6: deze regel staat er al (regel 2)" in err
    # Residents read the notes: a phone number or name does not go in.
    assert 'Regel 7: "opmerking" lijkt persoonsgegevens te bevatten' in err
    assert "06-12345678" not in err
    assert _count(cli_db) == 0  # the good line 2 was not imported either


def test_missing_column_and_missing_file(cli_db, tmp_path, capsys):
    path = tmp_path / "kolom.csv"
    path.write_text("gemeente;plek;weekdag;begin;einde\nVenlo;Kolk;di;10:00;12:00\n", "utf-8")
    assert main(["inloop", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert 'Regel 1: de kolom "adres" ontbreekt in de eerste regel' in err
    assert main(["inloop", "import", str(tmp_path / "weg.csv")]) == 1
    assert "niet gevonden / file not found" in capsys.readouterr().err
    assert _count(cli_db) == 0


def test_excel_file_with_bom_and_semicolons(cli_db, tmp_path, capsys):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "\ufeffsep=;\r\nGemeente;Plek;Adres;Weekdag;Begin;Einde;Soort\r\n"
        "Tegelen;Bibliotheek Tegelen;Kloosterlaan 8;woensdag;10.00;11.30;spreekuur\r\n".encode()
    )
    assert main(["inloop", "import", str(path)]) == 0
    assert _sessions(cli_db) == [("Bibliotheek Tegelen", "Kloosterlaan 8", True)]


def test_dry_run_writes_nothing(cli_db, capsys):
    assert main(["inloop", "import", "--dry-run", str(SAMPLE)]) == 0
    assert f"would import {SAMPLE_ROWS}" in capsys.readouterr().out
    assert _count(cli_db) == 0


def test_list_per_municipality(cli_db, capsys):
    assert main(["inloop", "import", str(SAMPLE)]) == 0
    capsys.readouterr()
    assert main(["inloop", "list", "--gemeente", "blerick"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Venlo"
    assert len(out) == 5  # the four Venlo sessions, nothing from elsewhere
    assert any("di 10:00-12:00  Buurthuis De Kolk, Kolkstraat 14 Venlo  (inloop)" in x for x in out)
    assert any("(spreekuur)" in x and "Bibliotheek Tegelen" in x for x in out)

    assert main(["inloop", "list"]) == 0
    everything = capsys.readouterr().out
    assert "Weert" in everything and "Venray" in everything

    assert main(["inloop", "list", "--gemeente", "Utrecht"]) == 1
    assert "Utrecht" in capsys.readouterr().err


def test_list_names_a_municipality_as_the_other_commands_do(cli_db, capsys):
    # The shared lookup (cli_common.municipality_id): a village, any case, a small typo; the
    # walk-in command's own message for a name it does not know.
    assert main(["inloop", "import", str(SAMPLE)]) == 0
    capsys.readouterr()
    for name in ("VENLO", "blerick", "Venlp"):
        assert main(["inloop", "list", "--gemeente", name]) == 0
        assert capsys.readouterr().out.splitlines()[0] == "Venlo"
    assert main(["inloop", "list", "--gemeente", "Utrecht"]) == 1
    assert "Onbekende gemeente / unknown municipality: Utrecht" in capsys.readouterr().err


def test_import_after_stop_and_new_keeps_one_active_session(cli_db, capsys):
    # Repro A through the command line: a stopped session, then the same one again (as
    # "Nieuw" did before the fix: a second row), then the same file: one active session.
    from datetime import UTC, datetime

    from bot.storage import walkin as repo
    from bot.storage.db import transaction

    assert main(["inloop", "import", str(SAMPLE)]) == 0

    async def stop_and_add_twin(engine: AsyncEngine) -> None:
        async with transaction(session_factory(engine)) as s:
            now = datetime(2026, 3, 3, 9, tzinfo=UTC)
            kolk = next(r for r, _ in await repo.sessions_in(s) if r.place.endswith("Kolk"))
            await repo.stop_session(s, kolk.id, now)
            await repo.add_session(
                s,
                municipality_id=kolk.municipality_id,
                place="buurthuis de kolk",
                address=kolk.address,
                weekday=kolk.weekday,
                start=kolk.start_time,
                end=kolk.end_time,
                now=now,
            )

    run_on_engine(cli_db, stop_and_add_twin)
    capsys.readouterr()
    assert main(["inloop", "import", str(SAMPLE)]) == 0
    assert "0 nieuw / new, 1 gewijzigd / updated" in capsys.readouterr().out
    kolks = [(p, active) for p, _a, active in _sessions(cli_db) if p.casefold().endswith("kolk")]
    assert kolks == [("Buurthuis De Kolk", False), ("Buurthuis De Kolk", True)]
    assert main(["inloop", "list", "--gemeente", "Venlo"]) == 0
    assert capsys.readouterr().out.count("Buurthuis De Kolk") == 1
