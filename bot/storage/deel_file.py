"""Deelopdrachten in and out of their file (`bot.domain.deel_spec`): `import_specs` creates or
updates each by its short name in the caller's transaction, checking what only the database
knows (the gemeente, vocabulary codes, vindplek names); a problem raises `DeelSpecError` with
its line and the caller rolls back all of it. Importing the same file again changes nothing
(and audits nothing). `export_specs` writes the same shape."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import deel_values as dv
from bot.domain.deel_spec import DeelSpec, DeelSpecError, MeasureSpec
from bot.i18n import N_
from bot.storage.deelopdrachten import (
    PLAIN_COLUMNS,
    DeelError,
    add_measure,
    add_moment,
    by_code,
    change,
    clean_filter,
    create,
    detail,
    measure_rows,
    moment_rows,
    remove_measure,
    remove_moment,
)
from bot.storage.models import VOCAB_TABLES, Deelopdracht, Municipality, Vindplek, id_of


async def _municipality(s: AsyncSession, spec: DeelSpec) -> Municipality:
    from bot.domain.places import resolve_municipality

    wanted = spec.municipality.strip().lower()
    rows = (await s.exec(select(Municipality))).all()
    found = next((m for m in rows if wanted in (m.code.lower(), m.name.lower())), None)
    if found is None:
        resolved = resolve_municipality(spec.municipality)
        found = next((m for m in rows if resolved and m.name == resolved), None)
    if found is None:
        raise DeelSpecError(
            spec.lines.get("municipality", spec.line),
            N_("onbekende gemeente '{name}'."),
            name=spec.municipality,
        )
    return found


async def _db_filter(
    s: AsyncSession, m: MeasureSpec, municipality_id: int, vocab: dict[str, set[str]]
) -> dict[str, list[Any]]:
    """A measure's filter with its codes checked and vindplek names as ids."""
    out: dict[str, list[Any]] = {}
    for key, names in m.filter:
        lines = m.filter_lines.get(key, ())
        if key == dv.VINDPLEK:
            rows = (
                await s.exec(select(Vindplek).where(Vindplek.municipality_id == municipality_id))
            ).all()
            by_name = {v.name.lower(): id_of(v) for v in rows}
            ids = []
            for n, name in enumerate(names):
                if name.lower() not in by_name:
                    raise DeelSpecError(
                        lines[n] if n < len(lines) else m.line,
                        N_("de vindplek '{name}' bestaat niet in deze gemeente."),
                        name=name,
                    )
                ids.append(by_name[name.lower()])
            out[key] = ids
            continue
        known = vocab[dv.FILTER_VOCAB[key]]
        unknown = [c for c in names if c not in known]
        if unknown:
            n = names.index(unknown[0])
            raise DeelSpecError(
                lines[n] if n < len(lines) else m.line,
                N_("onbekende code(s) in '{field}': {codes}. Zie `python -m bot lijsten export`."),
                field=key,
                codes=", ".join(unknown),
            )
        out[key] = list(names)
    return out


async def _vocab_codes(s: AsyncSession) -> dict[str, set[str]]:
    return {
        kind: set((await s.exec(select(VOCAB_TABLES[kind].code))).all())
        for kind in dv.FILTER_VOCAB.values()
    }


@dataclass
class ImportResult:
    created: int = 0
    changed: int = 0
    unchanged: int = 0


def _measure_key(kind: str, label: str, target: float, window: int | None, f: Any) -> tuple:
    return (kind, label, float(target), window, clean_filter(f or {}))


async def import_specs(
    s: AsyncSession, specs: list[DeelSpec], *, actor_id: int | None, now: datetime
) -> ImportResult:
    """Create or update each deelopdracht by its short name, in the caller's transaction.
    Measures are replaced as a whole (when they differ), reporting moments set to the file's.
    A problem only the database can see raises DeelSpecError with its line."""
    result = ImportResult()
    vocab = await _vocab_codes(s)
    for spec in specs:
        muni = await _municipality(s, spec)
        muni_id = id_of(muni)
        filters = [await _db_filter(s, m, muni_id, vocab) for m in spec.measures]
        values = {column: getattr(spec, column) for column in PLAIN_COLUMNS}
        row = await by_code(s, spec.code)
        touched = created = False
        if row is None:
            row = await create(s, muni_id, spec.code, actor_id=actor_id, now=now, **values)
            created = True
        else:
            if row.municipality_id != muni_id:
                raise DeelSpecError(
                    spec.lines.get("municipality", spec.line),
                    N_("'{code}' hoort bij een andere gemeente. Kies een andere korte naam."),
                    code=spec.code,
                )
            changed = {k: v for k, v in values.items() if getattr(row, k) != v}
            if changed:
                await change(s, id_of(row), actor_id=actor_id, now=now, **changed)
                touched = True
        deel_id = id_of(row)
        current = await measure_rows(s, deel_id)
        wanted = [
            _measure_key(m.kind, m.label, m.target, m.window_months, f)
            for m, f in zip(spec.measures, filters, strict=True)
        ]
        have = [_measure_key(m.kind, m.label, m.target, m.window_months, m.filter) for m in current]
        if wanted != have:
            for old in current:
                await remove_measure(s, deel_id, id_of(old), actor_id=actor_id, now=now)
            for m, f in zip(spec.measures, filters, strict=True):
                await add_measure(
                    s,
                    deel_id,
                    m.kind,
                    m.target,
                    window_months=m.window_months,
                    filter_=f,
                    label=m.label,
                    actor_id=actor_id,
                    now=now,
                )
            touched = True
        moments = {m.on_date for m in await moment_rows(s, deel_id)}
        for day in sorted(moments - set(spec.moments)):
            touched = await remove_moment(s, deel_id, day, actor_id=actor_id, now=now) or touched
        for day in sorted(set(spec.moments) - moments):
            touched = await add_moment(s, deel_id, day, actor_id=actor_id, now=now) or touched
        if created:
            result.created += 1
        elif touched:
            result.changed += 1
        else:
            result.unchanged += 1
    return result


async def spec_of(s: AsyncSession, deel_id: int) -> DeelSpec:
    """A stored deelopdracht in the file's shape."""
    found = await detail(s, deel_id)
    if found is None:
        raise DeelError(f"no deelopdracht {deel_id}")
    row = found.row
    measures = []
    for m in found.measures:
        items = []
        for key in dv.FILTER_KEYS:
            values = m.filter.get(key) or []
            if key == dv.VINDPLEK:
                values = [found.vindplek_names.get(int(i), str(i)) for i in values]
            if values:
                items.append((key, tuple(str(v) for v in values)))
        measures.append(MeasureSpec(m.kind, m.target, m.label, m.window_months, tuple(items)))
    return DeelSpec(
        municipality=found.municipality,
        code=row.code,
        moments=tuple(found.moments),
        measures=tuple(measures),
        **{column: getattr(row, column) for column in PLAIN_COLUMNS},
    )


async def export_specs(s: AsyncSession, code: str | None = None) -> list[DeelSpec]:
    """Every deelopdracht (by municipality, short name), or the one with this short name."""
    q = (
        select(Deelopdracht.id)
        .join(Municipality, col(Municipality.id) == Deelopdracht.municipality_id)
        .order_by(col(Municipality.name), col(Deelopdracht.code))
    )
    if code is not None:
        q = q.where(Deelopdracht.code == dv.normal_code(code))
    ids = [i for i in (await s.exec(q)).all() if i is not None]
    return [await spec_of(s, i) for i in ids]
