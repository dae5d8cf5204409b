"""The half-yearly report, end to end on SQLite and PostgreSQL: a small pool whose figures are
worked out by hand below, built into PDFs and a workbook, and read back out of both files
(openpyxl for the XLSX, pypdf for the PDF text). Also: the weekly digest gives the same figures
for the same days, small counts are hidden in what leaves the pool, and the CLI.

The pool, period 2026-H1 (1 January - 30 June 2026; DST starts on Sunday 29 March):

Contacts (municipality, day, minutes, residents, new, activity, themes):
  c1 Venlo 10 Jan   60 min  10 res  6 new  een_op_een  armoede+schulden  -> schuldhulp,
     at vindplek "Buurthuis De Kolk", deelopdracht WIJ-Venlo
  c2 Venlo 29 Mar   90 min   3 res  1 new  inloop      eenzaamheid  (the DST day), WIJ-Venlo,
     -> wmo and schuldhulp (two referrals)
  c3 Venlo 30 Jun   30 min   2 res  0 new  een_op_een  armoede, at "Buurthuis De Kolk"
  c4 Venlo  1 Feb   45 min   7 res  7 new  -> schuldhulp; deleted: left out
  c5 Venlo  1 Jul   60 min   5 res  5 new  -> wmo; after the period: left out
  c6 first saved as Weert 20 Jul 20 min; corrected on 25 Jul (after the period) to
     Venlo 15 Feb 40 min; 6 res 2 new groep eenzaamheid: counts, as Venlo
  c7 Weert  1 Apr  120 min  12 res 12 new  groep       werk_dagbesteding -> wmo
  c8 Weert  5 May   60 min   1 res  1 new  een_op_een  werk_dagbesteding+psychisch
  c9 Venlo 31 Dec 2025  100 min: before the period
Indirect hours:
  i1 Venlo overleg 30 Mar 60 min; i2 regional scholing 28 Mar 180 min;
  i3 Weert reistijd 5 May, saved as 90 min, corrected to 30 min; i4 Venlo 30 Mar 500 min deleted

By hand:
  Venlo: contacts c1 c2 c3 c6 = 4; contact minutes 60+90+30+40 = 220; indirect 60;
         hours 280 min = 4,7; residents 10+3+2+6 = 21, new 6+1+0+2 = 9, known 12.
  Weert: contacts c7 c8 = 2; contact minutes 180; indirect 30; hours 210 min = 3,5;
         residents 13, new 13, known 0.
  Regional: 180 min = 3,0 (not in the fair share).
  Fair share basis 280 + 210 = 490 min; keys add up to 100 %:
         Venlo 28,47 % -> 139,5 min = 2,3 h, deviation +140,5 min = +2,3 h;
         Weert 13,81 % ->  67,7 min = 1,1 h, deviation +142,3 min = +2,4 h.
  Venlo per month (residents new/known): jan 10 (6/4), feb 6 (2/4), mrt 3 (1/2), jun 2 (0/2).
  Venlo per theme: armoede 12 (6/6), schulden 10 (6/4), eenzaamheid 9 (3/6).
  Weert per theme: werk 13 (13/0), psychisch 1 (1/0).
  Deelopdracht WIJ-Venlo: 2 contacts, 150 min = 2,5 h, 13 residents, 7 new.
  Vindplek Buurthuis De Kolk: 2 contacts, 90 min = 1,5 h.
  Referrals (every referral of a contact, contact_referral; a contact per target):
         Venlo schuldhulp 2 (c1, c2), Wmo 1 (c2), total 3 referrals (of 2 contacts);
         Weert Wmo 1 (c7), total 1; region schuldhulp 2, Wmo 2, total 4.
"""

from __future__ import annotations

import io
import itertools
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pypdf
import pytest

from bot.cli import main
from bot.domain.counts import Counts
from bot.domain.digest import IsoWeek
from bot.domain.periods import parse_period
from bot.domain.suppression import CountTable, determined_cells
from bot.report import ReportFile, UnknownMunicipality, build_pack, make_report
from bot.report.build import check_report
from bot.storage import report_content, reports, worklog
from bot.storage.db import session_factory, transaction
from bot.storage.models import (
    ContactReferral,
    Deelopdracht,
    Signal,
    Story,
    User,
    Vindplek,
)
from tests.helpers import add_contact, hours_row, reference_ids
from tests.support import assert_contains, run_on_engine
from tests.xlsx_recovery import recoverable

TZ = ZoneInfo("Europe/Amsterdam")
H1 = parse_period("2026-H1")
# Made on a summer evening (CEST): the files say 4 augustus 2026 om 21:30.
NOW = datetime(2026, 8, 4, 19, 30, tzinfo=UTC)
_keys = itertools.count(1)


async def seed(engine) -> dict[str, int]:
    factory = session_factory(engine)
    async with transaction(factory) as s:
        r = await reference_ids(s)
        muni, theme, act = r["muni"], r["theme"], r["activity"]
        kind, ref, sig = r["indirect"], r["referral"], r["signal"]
        anna = User(telegram_user_id=101, chat_id=101, role="expert", display_name="Anna")
        bram = User(telegram_user_id=102, chat_id=102, role="expert", display_name="Bram")
        carla = User(telegram_user_id=103, chat_id=103, role="coordinator", display_name="C")
        s.add_all([anna, bram, carla])
        await s.flush()
        kolk = Vindplek(municipality_id=muni["Venlo"], name="Buurthuis De Kolk")
        wij = Deelopdracht(
            municipality_id=muni["Venlo"],
            code="wij-venlo",
            title="WIJ Venlo",
            goals="Nieuwe inwoners bereiken in Blerick.",
            monitoring="Telling per kwartaal.",
            frequency="Elk kwartaal",
            accounting="In de halfjaarrapportage.",
            starts_on=date(2026, 1, 1),
        )
        old = Deelopdracht(
            municipality_id=muni["Venlo"],
            code="oud",
            title="Afgelopen opdracht",
            ends_on=date(2025, 12, 31),
        )
        s.add_all([kolk, wij, old])
        await s.flush()

        async def contact(
            expert, muni_name, day, minutes, res, new, activity, themes, refs=(), **kw
        ):
            # As the bot writes a contact: every referral in contact_referral, the first also
            # on the contact.
            c = await add_contact(
                s,
                expert.id,
                day,
                minutes,
                muni[muni_name],
                act[activity],
                [theme[code] for code in themes],
                residents_count=res,
                residents_new=new,
                referral_target_id=ref[refs[0]] if refs else None,
                **kw,
            )
            for code in refs:
                s.add(ContactReferral(contact_id=c.id, referral_target_id=ref[code]))
            return c

        await contact(
            anna, "Venlo", date(2026, 1, 10), 60, 10, 6, "een_op_een", ["armoede", "schulden"],
            refs=["schuldhulp"], vindplek_id=kolk.id, deelopdracht_id=wij.id,
        )  # fmt: skip
        await contact(
            anna, "Venlo", date(2026, 3, 29), 90, 3, 1, "inloop", ["eenzaamheid"],
            refs=["wmo", "schuldhulp"], deelopdracht_id=wij.id,
        )  # fmt: skip
        await contact(
            anna, "Venlo", date(2026, 6, 30), 30, 2, 0, "een_op_een", ["armoede"],
            vindplek_id=kolk.id,
        )  # fmt: skip
        await contact(
            anna, "Venlo", date(2026, 2, 1), 45, 7, 7, "groep", ["armoede"], refs=["schuldhulp"],
            deleted_at=datetime(2026, 2, 2, tzinfo=UTC),
        )  # fmt: skip
        await contact(anna, "Venlo", date(2026, 7, 1), 60, 5, 5, "groep", ["armoede"], refs=["wmo"])
        c6 = await contact(bram, "Weert", date(2026, 7, 20), 20, 6, 2, "groep", ["eenzaamheid"])
        await contact(
            bram, "Weert", date(2026, 4, 1), 120, 12, 12, "groep", ["werk_dagbesteding"],
            refs=["wmo"],
        )  # fmt: skip
        await contact(
            bram, "Weert", date(2026, 5, 5), 60, 1, 1, "een_op_een",
            ["werk_dagbesteding", "psychisch"],
        )  # fmt: skip
        await contact(anna, "Venlo", date(2025, 12, 31), 100, 4, 4, "groep", ["armoede"])

        def indirect(expert, muni_name, day, minutes, code, **kw):
            row = hours_row(
                expert.id, day, minutes, kind[code], muni[muni_name] if muni_name else None, **kw
            )
            s.add(row)
            return row

        indirect(anna, "Venlo", date(2026, 3, 30), 60, "overleg")
        indirect(anna, None, date(2026, 3, 28), 180, "scholing")
        i3 = indirect(bram, "Weert", date(2026, 5, 5), 90, "reistijd")
        indirect(
            anna,
            "Venlo",
            date(2026, 3, 30),
            500,
            "overleg",
            deleted_at=datetime(2026, 4, 1, tzinfo=UTC),
        )
        for day, muni_name, code, th, text, deleted in (
            (
                date(2026, 2, 3),
                "Venlo",
                "trend",
                "armoede",
                "Meer vragen over energiekosten.",
                False,
            ),
            (date(2026, 4, 3), None, "gemist_aanbod", None, "Geen inloop op zaterdag.", False),
            (date(2026, 5, 3), "Weert", "knelpunt", "werk_dagbesteding", "Wachtlijst.", False),
            (date(2026, 5, 4), "Weert", "kans", None, "Verwijderd signaal.", True),
        ):
            s.add(
                Signal(
                    submission_key=f"k{next(_keys)}",
                    expert_id=anna.id,
                    work_date=day,
                    kind_id=sig[code],
                    municipality_id=muni[muni_name] if muni_name else None,
                    theme_id=theme[th] if th else None,
                    text=text,
                    deleted_at=NOW if deleted else None,
                )
            )
        s1 = Story(
            submission_key=f"k{next(_keys)}",
            expert_id=anna.id,
            work_date=date(2026, 3, 29),
            municipality_id=muni["Venlo"],
            theme_id=theme["eenzaamheid"],
            text="Een inwoner kwam na maanden weer naar de inloop.",
        )
        s2 = Story(
            submission_key=f"k{next(_keys)}",
            expert_id=bram.id,
            work_date=date(2026, 4, 1),
            municipality_id=muni["Weert"],
            text="Niet gekozen verhaal.",
        )
        s.add_all([s1, s2])
        await s.flush()
        ids_out = {"anna": anna.id, "bram": bram.id, "c6": c6.id, "i3": i3.id, "s1": s1.id}
    # The corrections, made after the period, as an expert makes them.
    async with transaction(factory) as s:
        after = datetime(2026, 7, 25, 10, 0, tzinfo=UTC)
        assert await worklog.update_entry(
            s, "contact", ids_out["c6"], ids_out["bram"],
            {"municipality_id": muni["Venlo"], "work_date": date(2026, 2, 15),
             "duration_minutes": 40},
            after,
        )  # fmt: skip
        assert await worklog.update_entry(
            s, "indirect_hours", ids_out["i3"], ids_out["bram"], {"duration_minutes": 30}, after
        )
        coord = carla.id
        assert await report_content.select_story(
            s, ids_out["s1"], muni["Venlo"], H1, actor_id=coord, now=after
        )
        assert await report_content.select_story(
            s, ids_out["s1"], muni["Weert"], H1, actor_id=coord, now=after
        )
        await report_content.set_narrative(
            s, muni["Venlo"], H1, "In Venlo groeide de inloop.", actor_id=coord, now=after
        )
        await report_content.set_narrative(
            s, None, H1, "De pool werkte in de hele regio.", actor_id=coord, now=after
        )
    return muni


async def pack(engine, codes=None, internal=False, period=H1, formats=("pdf", "xlsx")):
    async with session_factory(engine)() as s:
        return [
            f
            async for f in build_pack(
                s,
                period=period,
                municipality_codes=codes,
                formats=formats,
                internal=internal,
                now=NOW,
                tz=TZ,
                threshold=5,
            )
        ]


async def made(engine, codes=None, period=H1):
    """The assembled report (its tables, before any file is made)."""
    async with session_factory(engine)() as s:
        _chosen, _data, report = await make_report(
            s, period=period, municipality_codes=codes, internal=False, now=NOW, tz=TZ,
            threshold=5,
        )  # fmt: skip
    return report


def sheet_rows(content: bytes, sheet: str) -> dict[str, list]:
    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    out = {}
    for row in wb[sheet].iter_rows(values_only=True):
        if row and isinstance(row[0], str):
            out[row[0]] = list(row[1:])
    return out


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def by_name(files: list[ReportFile]) -> dict[str, ReportFile]:
    return {f.filename: f for f in files}


# --------------------------------------------------------------------------- the figures


async def test_internal_report_has_the_hand_worked_figures(engine):
    await seed(engine)
    files = by_name(await pack(engine, internal=True))
    assert len(files) == 16  # 14 municipalities + the region + the workbook
    assert "rapportage-2026-H1-intern.xlsx" in files
    wb = files["rapportage-2026-H1-intern.xlsx"].content

    summary = sheet_rows(wb, "Overzicht")
    # Uren, Eerlijk deel, Verschil, Contacten, Inwoners, Nieuw
    assert summary["Venlo"] == [4.7, 2.3, 2.3, 4, 21, 9]
    assert summary["Weert"] == [3.5, 1.1, 2.4, 2, 13, 13]
    assert summary["Beesel"][3:] == [0, 0, 0]
    assert summary["Totaal"][0] == 8.2 and summary["Totaal"][3:] == [6, 34, 22]

    hours = sheet_rows(wb, "Uren")
    # key, contact h, indirect h, total, share, deviation, ytd total, ytd share, ytd deviation
    assert hours["Venlo"] == [28.47, 3.7, 1.0, 4.7, 2.3, 2.3, 4.7, 2.3, 2.3]
    assert hours["Weert"][1:6] == [3.0, 0.5, 3.5, 1.1, 2.4]
    assert hours["Regionaal (zonder gemeente)"][1:4] == [0.0, 3.0, 3.0]
    assert hours["Totaal"][1:4] == [6.7, 4.5, 11.2]

    residents = sheet_rows(wb, "Inwoners")
    assert residents["Venlo"] == [9, 12, 21]
    assert residents["Weert"] == [13, 0, 13]
    assert residents["Totaal"] == [22, 12, 34]

    months = sheet_rows(wb, "Per maand")
    assert months["Venlo"] == [10, 6, 3, 0, 0, 2, 21]
    assert months["Weert"] == [0, 0, 0, 12, 1, 0, 13]

    themes = sheet_rows(wb, "Thema's")
    head = next(k for k in themes if k == "Gemeente")
    labels = themes[head]
    venlo = dict(zip(labels, themes["Venlo"], strict=True))
    assert venlo["armoede (geldzorgen)"] == 12
    assert venlo["schulden"] == 10
    assert venlo["eenzaamheid (sociaal isolement)"] == 9
    assert dict(zip(labels, themes["Weert"], strict=True))["psychische kwetsbaarheid"] == 1

    ind = sheet_rows(wb, "Indirect")
    kinds = ind["Gemeente"]
    assert dict(zip(kinds, ind["Venlo"], strict=True))["overleg"] == 1.0
    assert dict(zip(kinds, ind["Weert"], strict=True))["reistijd"] == 0.5
    assert dict(zip(kinds, ind["Regionaal (zonder gemeente)"], strict=True))["scholing"] == 3.0

    acts = sheet_rows(wb, "Activiteiten")
    head = acts["Gemeente"]
    venlo = dict(zip(head, acts["Venlo"], strict=True))
    assert venlo["1-op-1 contact"] == 2 and venlo["inloop"] == 1 and venlo["Totaal"] == 4

    refs = sheet_rows(wb, "Toeleiding")
    head = refs["Gemeente"]
    # Every referral counts (c2 has two); "Totaal" is the number of referrals, not contacts.
    venlo = dict(zip(head, refs["Venlo"], strict=True))
    assert (venlo["schuldhulp"], venlo["Wmo-consulent"], venlo["Totaal"]) == (2, 1, 3)
    weert = dict(zip(head, refs["Weert"], strict=True))
    assert (weert["schuldhulp"], weert["Wmo-consulent"], weert["Totaal"]) == (0, 1, 1)
    total = dict(zip(head, refs["Totaal"], strict=True))
    assert (total["schuldhulp"], total["Wmo-consulent"], total["Totaal"]) == (2, 2, 4)
    definitions = sheet_rows(wb, "Definities")
    assert "het aantal verwijzingen, niet het aantal contacten" in definitions["Toeleiding"][0]

    places = sheet_rows(wb, "Vindplekken")
    assert places["Buurthuis De Kolk"] == ["Venlo", 2, 1.5]

    dops = sheet_rows(wb, "Deelopdrachten")
    assert "Afgelopen opdracht" not in dops  # ended before the period
    assert dops["WIJ Venlo"][0] == "Venlo"
    # Numbers, not texts (audit finding 19): they can be summed and sorted in Excel.
    assert dops["WIJ Venlo"][-4:] == [2, 2.5, 13, 7]

    signals = sheet_rows(wb, "Signalen")
    assert not any("Verwijderd" in str(v) for v in signals.values())
    assert [k for k in signals if k.startswith(("trend", "gemist", "knelpunt", "kans"))] == [
        "trend · armoede (geldzorgen) · Venlo",
        "gemist aanbod · Regio",
        "knelpunt · werk en dagbesteding · Weert",
    ]
    stories = sheet_rows(wb, "Verhalen")
    assert any("weer naar de inloop" in str(v) for v in stories.values())
    assert not any("Niet gekozen" in str(v) for v in stories.values())

    # Every sheet says when it was made, and that it is the internal version.
    wbk = openpyxl.load_workbook(io.BytesIO(wb), read_only=True)
    for ws in wbk.worksheets:
        texts = [r[0] for r in ws.iter_rows(max_row=5, values_only=True) if r and r[0]]
        assert "Gemaakt op 4 augustus 2026 om 21:30" in texts, ws.title
        assert any("INTERN" in str(x) for x in texts), ws.title

    # The PDF of Venlo: the same figures, the produced line and "INTERN" on every page.
    venlo_pdf = files["rapportage-2026-H1-intern-venlo.pdf"].content
    reader = pypdf.PdfReader(io.BytesIO(venlo_pdf))
    for page in reader.pages:
        text = " ".join((page.extract_text() or "").split())
        assert_contains(
            text,
            "Gemaakt op 4 augustus 2026 om 21:30",
            "INTERN",
            "Pool ervaringsdeskundigen Noord- en Midden-Limburg",
            "1 januari – 30 juni 2026",
        )
    text = pdf_text(venlo_pdf)
    assert_contains(
        text,
        "Contacturen 3,7 3,7",
        "Uren totaal 4,7 4,7",
        "Verschil +2,3 +2,3",
        "jan 2026 6 4 10",
        "mrt 2026 1 2 3",
        "Totaal 9 12 21",
        "armoede (geldzorgen) 6 6 12",
        # Referrals: c2's two both count; the total is the number of referrals.
        "Toeleiding en warme overdracht Naar Contacten Wmo-consulent 1 schuldhulp 2 Totaal 3",
        "In Venlo groeide de inloop.",
        "Een inwoner kwam na maanden weer naar de inloop.",
        "Meer vragen over energiekosten.",
        "Geen inloop op zaterdag.",  # regional signal: in every municipality's
        "WIJ Venlo",
        "Nieuwe inwoners bereiken in Blerick.",
    )
    assert "Wachtlijst." not in text  # Weert's

    region = pdf_text(files["rapportage-2026-H1-intern-regio.pdf"].content)
    assert_contains(
        region,
        "Venlo 4,7 2,3 +2,3 4 21 9",
        "Weert 3,5 1,1 +2,4 2 13 13",
        "De pool werkte in de hele regio.",
        "Zo leest u dit rapport",
        "Het totaal is dus het aantal verwijzingen, niet het aantal contacten.",
    )


COUNT_SHEETS = {
    # sheet: (row totals published, column totals published)
    "Inwoners": (True, True),
    "Per maand": (True, True),
    "Activiteiten": (True, True),
    "Toeleiding": (True, True),
    "Thema's": (False, True),
}


def published_grid(content: bytes, sheet: str, row_totals: bool):
    """The municipalities' rows and the total row of a count sheet, as published, in order."""
    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    names, grid, width, inside = [], [], 0, False
    for row in wb[sheet].iter_rows(values_only=True):
        if row and row[0] == "Gemeente":
            width = len([h for h in row if h is not None]) - 1
            inside = True
            continue
        if inside and row and row[0]:
            names.append(row[0])
            grid.append(list(row[1 : 1 + width]))
            if row[0] == "Totaal":
                break
    return names, grid


async def test_report_that_leaves_the_pool_hides_small_counts(engine):
    await seed(engine)
    files = by_name(await pack(engine))
    wb = files["rapportage-2026-H1.xlsx"].content
    summary = sheet_rows(wb, "Overzicht")
    # Hours are never hidden; 4 and 2 contacts are. A municipality's own counts are suppressed
    # from its own figures (its report looks the same alone or in the pack). Venlo's new (9)
    # and known (12) are no small counts: shown. Its months (new/known): jan 6*/<5 = *,
    # feb <5/<5 = 6, mrt <5/<5 = <5, jun 0/<5 = <5, total 9/12/21: other tables fit too (jan
    # 5/4 = 9, feb 3/3, jun 0/3; or mrt 2/1, feb 2/4, jan 5/4, jun 0/3), and check_report below
    # finds no hidden cell pinned. The contacts' total
    # 6 = Venlo <5 + Weert <5 is shown: Venlo 3 (een_op_een 1, inloop 1, groep 1) and Weert 3
    # (een_op_een 2, groep 1) fit every published cell as well as the true 4 and 2 do.
    # (Before: Venlo's new was "*" while the totals 22 - 13 gave it away, and 6 was hidden.)
    assert summary["Venlo"] == [4.7, 2.3, 2.3, "<5", 21, 9]
    assert summary["Weert"] == [3.5, 1.1, 2.4, "<5", 13, 13]
    assert summary["Totaal"][3:6] == [6, 34, 22]
    inwoners = sheet_rows(wb, "Inwoners")
    # The same quantity has the same mark in every table.
    assert inwoners["Venlo"][2] == summary["Venlo"][4] and inwoners["Totaal"][2] == 34
    months = sheet_rows(wb, "Per maand")
    assert months["Venlo"][2] == "<5"  # march: 3
    assert months["Weert"][3] == "*"  # april: 12, hidden so that may's "<5" stays hidden
    # A reader with a pencil works nothing out from the workbook's totals (tests.xlsx_recovery).
    assert recoverable(wb) == []
    # No small number is published anywhere in the count sheets.
    for sheet in COUNT_SHEETS:
        for label, values in sheet_rows(wb, sheet).items():
            for v in values:
                assert not (isinstance(v, int) and 0 < v < 5), (sheet, label, values)

    # The joint check over every table of the report as the files get them (region and each
    # municipality), with the true values: no "<5" can be worked out from all of them together.
    report = await made(engine)
    assert check_report(report) == []
    # The workbook shows those same tables: every count cell of a count sheet matches.
    for sheet, tb in (("Inwoners", report.residents), ("Per maand", report.months)):
        rows = sheet_rows(wb, sheet)
        for row in [*tb.rows, tb.total]:
            shown = [c.text if c.hidden else c.value for c in row.cells]
            assert rows[row.label][: len(shown)] == shown, (sheet, row.label)

    venlo_pdf = pdf_text(files["rapportage-2026-H1-venlo.pdf"].content)
    assert "INTERN" not in venlo_pdf
    assert_contains(
        venlo_pdf,
        "Uren totaal 4,7 4,7",
        "mrt 2026 <5 <5 <5",
        "jan 2026 * <5 *",
        "Wmo-consulent <5 schuldhulp <5 Totaal <5",
    )


async def test_one_municipality_gets_its_pdf_and_a_restricted_workbook(engine):
    await seed(engine)
    files = await pack(engine, codes=["venlo"])
    assert [f.filename for f in files] == [
        "rapportage-2026-H1-venlo.pdf",
        "rapportage-2026-H1-venlo.xlsx",
    ]
    assert files[0].municipality_code == "venlo" and files[0].mime == "application/pdf"
    summary = sheet_rows(files[1].content, "Overzicht")
    assert "Venlo" in summary and "Weert" not in summary
    # Same cells as in the full workbook (a municipality's counts are suppressed from its own
    # figures), and no region total: it would be a sum over others, outside that check.
    full = sheet_rows(by_name(await pack(engine))["rapportage-2026-H1.xlsx"].content, "Overzicht")
    assert summary["Venlo"] == full["Venlo"]
    assert "Totaal" not in summary and "Totaal hele regio" not in summary
    signals = sheet_rows(files[1].content, "Signalen")
    assert not any("Wachtlijst" in str(v) for v in signals.values())
    with pytest.raises(UnknownMunicipality):
        await pack(engine, codes=["atlantis"])
    # By name, any case; only the workbook.
    only = await pack(engine, codes=["WEERT"], formats=("xlsx",))
    assert [f.filename for f in only] == ["rapportage-2026-H1-weert.xlsx"]


async def test_year_to_date_of_a_quarter(engine):
    await seed(engine)
    q2 = parse_period("2026-Q2")
    [wbf] = await pack(engine, period=q2, internal=True, formats=("xlsx",))
    hours = sheet_rows(wbf.content, "Uren")
    # Q2 Venlo: c3 30 min only; year to date (1 Jan - 30 Jun) is H1: 280 min.
    assert hours["Venlo"][1:4] == [0.5, 0.0, 0.5]
    assert hours["Venlo"][6] == 4.7
    assert hours["Weert"][6] == 3.5


async def test_same_days_same_figures_as_the_weekly_digest(engine):
    """For every week with data, a report over exactly that week's days gives the digest's
    hours, contacts, residents and new residents per municipality, and the regional hours."""
    await seed(engine)
    from bot.storage.report_queries import load_report_data

    weeks = {IsoWeek.of(d) for d in (date(2026, 1, 10), date(2026, 2, 15), date(2026, 3, 29))}
    weeks |= {IsoWeek.of(date(2026, 3, 30)), IsoWeek.of(date(2026, 5, 5)), IsoWeek(2026, 27)}
    factory = session_factory(engine)
    for week in sorted(weeks):
        period = parse_period(van=week.monday, tot=week.sunday)
        async with factory() as s:
            digest = await reports.week_digest(s, week, TZ)
        async with factory() as s:
            data = await load_report_data(s, period, period)
        names = {m[0]: m[2] for m in data.municipalities}
        for mw in digest.municipalities:
            mid = next(k for k, v in names.items() if v == mw.name)
            got = (
                data.by_muni.get(mid, Counts()),
                sum(v for (m, _k), v in data.indirect.items() if m == mid),
            )
            assert got == (mw.counts, mw.indirect_minutes), (week, mw.name)
        assert data.regional_minutes == digest.regional_indirect_minutes, week
        by_theme = {}
        for (_m, tid), c in data.by_muni_theme.items():
            label = next(t.label for t in data.themes if t.id == tid)
            prev = by_theme.get(label, (0, 0, 0))
            by_theme[label] = (prev[0] + c.contacts, prev[1] + c.residents, prev[2] + c.new)
        assert by_theme == {
            r.label: (r.counts.contacts, r.counts.residents, r.counts.new) for r in digest.themes
        }, week
        # Referrals per target: every referral of a contact, in both (c2's week has two).
        by_ref: dict[str, int] = {}
        for (_m, rid), n in data.referrals.items():
            label = next(t.label for t in data.referral_targets if t.id == rid)
            by_ref[label] = by_ref.get(label, 0) + n
        assert by_ref == {r.label: r.count for r in digest.referrals}, week
    # The week of 29 March holds c2 with its two referrals (and nothing else referred).
    async with factory() as s:
        digest = await reports.week_digest(s, IsoWeek.of(date(2026, 3, 29)), TZ)
    assert sorted((r.label, r.count) for r in digest.referrals) == [
        ("Wmo-consulent", 1),
        ("schuldhulp", 1),
    ]


async def test_published_tables_leave_nothing_to_work_out(engine):
    """The suppressed tables of the real report pass the exact check."""
    await seed(engine)
    from bot.domain.periods import year_to_date
    from bot.domain.suppression import suppress_linked  # noqa: F401 (the engine's own)
    from bot.storage.report_queries import load_report_data

    async with session_factory(engine)() as s:
        data = await load_report_data(s, H1, year_to_date(H1))
    rows = [[data.by_muni.get(m[0]).new if m[0] in data.by_muni else 0,
             data.by_muni[m[0]].known if m[0] in data.by_muni else 0]
            for m in data.municipalities]  # fmt: skip
    from bot.domain.suppression import suppress

    t = CountTable(rows)
    assert determined_cells(t, suppress(t, 5).marks, 5) == []


# --------------------------------------------------------------------------- CLI


def _seed_url(db_url: str) -> None:
    run_on_engine(db_url, seed)


def test_cli_writes_the_files(db_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    _seed_url(db_url)
    out = tmp_path / "uit"
    code = main(
        ["rapport", "--periode", "2026-H1", "--gemeente", "Blerick", "--uit", str(out), "--intern"]
    )
    assert code == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(str(out / "rapportage-2026-H1-intern-venlo.pdf"))
    assert re.search(r"\d+ kB", lines[0])
    assert sorted(p.name for p in out.iterdir()) == [
        "rapportage-2026-H1-intern-venlo.pdf",
        "rapportage-2026-H1-intern-venlo.xlsx",
    ]
    assert main(["rapport", "--van", "2026-01-01", "--tot", "2026-03-31", "--formaat", "xlsx",
                 "--uit", str(out)]) == 0  # fmt: skip
    assert (out / "rapportage-2026-Q1.xlsx").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--periode", "2026-H3"], "not a period (bad_half)"),
        (["--periode", "vorig jaar"], "not a period (format)"),
        (["--van", "2026-06-30", "--tot", "2026-01-01"], "not a period (end_before_start)"),
        (["--periode", "2026", "--gemeente", "Atlantis"], "unknown municipality: Atlantis"),
        (["--periode", "2026", "--formaat", "docx"], "unknown format docx;"),
    ],
)
def test_cli_refuses_with_one_line_and_exit_2(db_url, tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.setenv("DATABASE_URL", db_url)
    out = tmp_path / "uit"
    assert main(["rapport", *args, "--uit", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err
    assert not out.exists()


async def test_a_story_chosen_for_a_half_year_shows_in_every_report_over_it(engine):
    """The rule (bot.domain.periods.selection_in): a selection belongs to the period it was
    made for and shows in every report whose days contain that whole period."""
    muni = await seed(engine)

    async def stories(period):
        report = await made(engine, period=period)
        return {
            "all": [n.text for n in report.stories],
            "venlo": [n.text for n in report.munis[muni["Venlo"]].stories],
        }

    h1 = await stories(H1)
    assert len(h1["all"]) == 1 and h1["all"] == h1["venlo"]
    assert await stories(parse_period("2026")) == h1
    assert await stories(parse_period(van="2025-12-01", tot="2026-07-31")) == h1
    assert await stories(parse_period(van="2026-01-01", tot="2026-06-30")) == h1
    # A part of the half year is not the period the story was chosen for.
    assert (await stories(parse_period("2026-Q1")))["all"] == []
    assert (await stories(parse_period(van="2026-01-02", tot="2026-12-31")))["all"] == []


def test_selection_rule():
    from bot.domain.periods import selection_in

    y = parse_period("2026")
    assert selection_in("2026-H1", y) and selection_in("2026-Q3", y) and selection_in("2026-03", y)
    assert selection_in("2026-02-01..2026-03-31", y)
    assert not selection_in("2026", parse_period("2026-H1"))
    assert not selection_in("2025-H2", y)
    assert not selection_in("nonsense", y)
