"""A deelopdracht as data: the YAML file of `python -m bot deelopdracht import|export`, and the
checks the chat shares (short name, target, window, dates).

Pure: no database. A file is read whole and checked whole before anything is stored; the first
problem is reported with its line (1-based) and the field, in Dutch (the messages are msgids,
`DeelSpecError.text(t)` translates them). Vocabulary codes and vindplek names are checked
against the database by `bot.storage.deelopdrachten`, which raises the same error with the
line of the code.

The shape (one deelopdracht, or several under `deelopdrachten:`)::

    municipality: Venlo          # name or code
    code: wij-venlo              # the short name experts type; letters, digits, - and _
    title: Outreach in de wijk
    period: {starts_on: 2027-01-01, ends_on: 2027-12-31}
    goals: …                     # goals / monitoring / frequency / accounting: free text
    reporting_moments: [2027-04-15, 2027-09-15]
    followup_weeks: 6
    active: true
    measures:
      - kind: new_residents      # see MeasureKind
        label: Nieuwe inwoners via outreach   # optional
        target: 25               # a number; "80%" for the share kinds
        window_months: 6         # optional: within N months of the start
        filter: {activity: [outreach], reach: [], theme: [], referral: [], vindplek: [De Kolk]}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from bot.domain.deel_values import (
    DEFAULT_FOLLOWUP_WEEKS,
    FILTER_KEYS,
    KINDS,
    MAX_CODE,
    MAX_FOLLOWUP_WEEKS,
    MAX_FREQUENCY,
    MAX_LABEL,
    MAX_TEXT,
    MAX_TITLE,
    MAX_WINDOW,
    MIN_CODE,
    DeelSpecError,
    code_problem,
    is_share,
    normal_code,
    parse_target,
    target_text,
)
from bot.domain.privacy import check_free_text
from bot.i18n import N_

TOP_FIELDS = (
    "municipality",
    "code",
    "title",
    "period",
    "goals",
    "monitoring",
    "frequency",
    "accounting",
    "reporting_moments",
    "followup_weeks",
    "active",
    "measures",
)
MEASURE_FIELDS = ("kind", "label", "target", "window_months", "filter")
MANY = "deelopdrachten"


@dataclass(frozen=True)
class MeasureSpec:
    kind: str
    target: float
    label: str = ""
    window_months: int | None = None
    # key -> codes (vindplek: names), only non-empty keys, in FILTER_KEYS order.
    filter: tuple[tuple[str, tuple[str, ...]], ...] = ()
    line: int = field(default=0, compare=False)
    # key -> the line of each of its values, for the database's errors.
    filter_lines: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False)

    def filter_dict(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.filter}


@dataclass(frozen=True)
class DeelSpec:
    municipality: str
    code: str
    title: str
    starts_on: date | None = None
    ends_on: date | None = None
    goals: str = ""
    monitoring: str = ""
    frequency: str = ""
    accounting: str = ""
    moments: tuple[date, ...] = ()
    followup_weeks: int = DEFAULT_FOLLOWUP_WEEKS
    active: bool = True
    measures: tuple[MeasureSpec, ...] = ()
    line: int = field(default=0, compare=False)
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # field -> line


# --------------------------------------------------------------------------- reading a file


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


Path = tuple[Any, ...]


def _lines(node: yaml.Node, path: Path, out: dict[Path, int]) -> None:
    """Every path's line (a field: its key's line; an element: its own); duplicate keys are
    refused, since YAML readers quietly keep the last."""
    out[path] = _line(node)
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name in seen:
                raise DeelSpecError(_line(key), N_("'{field}' staat er twee keer."), field=name)
            seen.add(name)
            _lines(value, (*path, name), out)
            out[(*path, name)] = _line(key)
    elif isinstance(node, yaml.SequenceNode):
        for n, item in enumerate(node.value):
            _lines(item, (*path, n), out)


class _Reader:
    def __init__(self, lines: dict[Path, int], today: date | None) -> None:
        self.lines = lines
        self.today = today

    def line(self, path: Path) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def fail(self, path: Path, msgid: str, **params: Any) -> DeelSpecError:
        return DeelSpecError(self.line(path), msgid, **params)

    def mapping(self, value: Any, path: Path, allowed: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(
                path,
                N_("hier horen velden: {fields}."),
                fields=", ".join(allowed[:3]) + ", …",
            )
        unknown = [str(k) for k in value if k not in allowed]
        if unknown:
            raise self.fail(
                (*path, unknown[0]),
                N_("onbekend veld '{field}'. Wel mogelijk: {fields}."),
                field=unknown[0],
                fields=", ".join(allowed),
            )
        return value

    def text(
        self, raw: dict, path: Path, name: str, limit: int, *, required: bool, free: bool = True
    ) -> str:
        """A field's text; `free` text is checked for what identifies a person."""
        value = raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(path, N_("'{field}' ontbreekt."), field=name)
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail((*path, name), N_("'{field}' moet tekst zijn."), field=name)
        text = str(value).strip()
        if len(text) > limit:
            raise self.fail(
                (*path, name), N_("'{field}' is langer dan {max} tekens."), field=name, max=limit
            )
        if free and check_free_text(text, today=self.today):
            raise self.fail(
                (*path, name),
                N_(
                    "in '{field}' staat iets waaraan iemand te herkennen is (zoals een naam, "
                    "telefoonnummer of adres). Haal het weg: wat hier staat, blijft anoniem."
                ),
                field=name,
            )
        return text

    def day(self, value: Any, path: Path, name: str) -> date | None:
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                pass
        if not isinstance(value, date):
            raise self.fail(path, N_("'{field}' moet een datum zijn zoals 2027-01-31."), field=name)
        return value

    def integer(self, raw: dict, path: Path, name: str, low: int, high: int) -> int | None:
        value = raw.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(
                (*path, name),
                N_("'{field}' moet een heel getal van {low} tot {high} zijn."),
                field=name,
                low=low,
                high=high,
            )
        return value

    def measure(self, value: Any, path: Path, starts_on: date | None) -> MeasureSpec:
        raw = self.mapping(value, path, MEASURE_FIELDS)
        kind = raw.get("kind")
        if kind not in KINDS:
            raise self.fail(
                (*path, "kind") if "kind" in raw else path,
                N_("'kind' moet een van deze zijn: {kinds}."),
                kinds=", ".join(KINDS),
            )
        target_raw = raw.get("target")
        if target_raw is None or isinstance(target_raw, bool):
            raise self.fail(
                path, N_("'target' ontbreekt (een getal, of een % bij {kind})."), kind=kind
            )
        try:
            target = parse_target(target_raw, kind)
        except DeelSpecError as exc:
            raise self.fail((*path, "target"), exc.msgid, **exc.params) from None
        window = self.integer(raw, path, "window_months", 1, MAX_WINDOW)
        if window is not None and starts_on is None:
            raise self.fail(
                (*path, "window_months"),
                N_("'window_months' telt vanaf het begin: zet 'starts_on' onder 'period'."),
            )
        label = self.text(raw, path, "label", MAX_LABEL, required=False)
        filters: list[tuple[str, tuple[str, ...]]] = []
        filter_lines: dict[str, tuple[int, ...]] = {}
        fpath = (*path, "filter")
        if raw.get("filter") is not None:
            fraw = self.mapping(raw["filter"], fpath, FILTER_KEYS)
            for key in FILTER_KEYS:
                items = fraw.get(key)
                if items is None:
                    continue
                if isinstance(items, str):
                    items = [items]
                if not isinstance(items, list) or not all(
                    isinstance(i, str) and i.strip() for i in items
                ):
                    raise self.fail(
                        (*fpath, key), N_("'{field}' moet een lijst met namen zijn."), field=key
                    )
                names = tuple(dict.fromkeys(i.strip() for i in items))
                if names:
                    filters.append((key, names))
                    filter_lines[key] = tuple(
                        self.line((*fpath, key, n)) for n in range(len(names))
                    )
        return MeasureSpec(
            kind=kind,
            target=target,
            label=label,
            window_months=window,
            filter=tuple(filters),
            line=self.line(path),
            filter_lines=filter_lines,
        )

    def deel(self, value: Any, path: Path) -> DeelSpec:
        raw = self.mapping(value, path, TOP_FIELDS)
        municipality = self.text(raw, path, "municipality", 100, required=True, free=False)
        code = normal_code(self.text(raw, path, "code", 100, required=True, free=False))
        problem = code_problem(code)
        if problem:
            raise self.fail((*path, "code"), problem, min=MIN_CODE, max=MAX_CODE)
        title = self.text(raw, path, "title", MAX_TITLE, required=True)
        starts_on = ends_on = None
        if raw.get("period") is not None:
            ppath = (*path, "period")
            period = self.mapping(raw["period"], ppath, ("starts_on", "ends_on"))
            starts_on = self.day(period.get("starts_on"), (*ppath, "starts_on"), "starts_on")
            ends_on = self.day(period.get("ends_on"), (*ppath, "ends_on"), "ends_on")
            if starts_on and ends_on and ends_on < starts_on:
                raise self.fail((*ppath, "ends_on"), N_("'ends_on' ligt voor 'starts_on'."))
        moments: list[date] = []
        mpath = (*path, "reporting_moments")
        if raw.get("reporting_moments") is not None:
            if not isinstance(raw["reporting_moments"], list):
                raise self.fail(mpath, N_("'reporting_moments' moet een lijst met datums zijn."))
            for n, item in enumerate(raw["reporting_moments"]):
                day = self.day(item, (*mpath, n), "reporting_moments")
                assert day is not None
                if day in moments:
                    raise self.fail(
                        (*mpath, n), N_("De datum {day} staat er twee keer."), day=day.isoformat()
                    )
                moments.append(day)
        followup = self.integer(raw, path, "followup_weeks", 1, MAX_FOLLOWUP_WEEKS)
        active = raw.get("active", True)
        if not isinstance(active, bool):
            raise self.fail((*path, "active"), N_("'active' moet true of false zijn."))
        measures: list[MeasureSpec] = []
        if raw.get("measures") is not None:
            if not isinstance(raw["measures"], list):
                raise self.fail((*path, "measures"), N_("'measures' moet een lijst zijn."))
            for n, item in enumerate(raw["measures"]):
                measures.append(self.measure(item, (*path, "measures", n), starts_on))
        return DeelSpec(
            municipality=municipality,
            code=code,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            goals=self.text(raw, path, "goals", MAX_TEXT, required=False),
            monitoring=self.text(raw, path, "monitoring", MAX_TEXT, required=False),
            frequency=self.text(raw, path, "frequency", MAX_FREQUENCY, required=False),
            accounting=self.text(raw, path, "accounting", MAX_TEXT, required=False),
            moments=tuple(sorted(moments)),
            followup_weeks=DEFAULT_FOLLOWUP_WEEKS if followup is None else followup,
            active=active,
            measures=tuple(measures),
            line=self.line(path),
            lines={
                "municipality": self.line((*path, "municipality")),
                "code": self.line((*path, "code")),
            },
        )


def _bad_date_line(node: yaml.Node | None) -> int:
    """The line of the first date-like scalar that is no day."""
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop(0)
        if isinstance(n, yaml.ScalarNode) and n.tag.endswith(":timestamp"):
            try:
                date.fromisoformat(str(n.value)[:10])
            except ValueError:
                return _line(n)
        elif isinstance(n, yaml.MappingNode):
            stack.extend(v for pair in n.value for v in pair)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
    return 1


def parse(text: str, today: date | None = None) -> list[DeelSpec]:
    """Read and check a whole file; raises DeelSpecError naming the first bad line. `today`
    decides which dates in the texts are old enough to be birth dates (the privacy check)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise DeelSpecError(
            mark.line + 1 if mark else 1,
            N_("dit is geen geldige YAML ({problem})."),
            problem=exc.problem or "?",
        ) from None
    except yaml.YAMLError:
        raise DeelSpecError(1, N_("dit is geen geldige YAML.")) from None
    except ValueError:  # a date that names no day: 2027-02-30
        raise DeelSpecError(
            _bad_date_line(root), N_("deze datum bestaat niet. Schrijf hem als 2027-01-31.")
        ) from None
    if root is None:
        raise DeelSpecError(1, N_("het bestand is leeg."))
    lines: dict[Path, int] = {}
    _lines(root, (), lines)
    reader = _Reader(lines, today)
    if isinstance(data, dict) and MANY in data:
        reader.mapping(data, (), (MANY,))
        items = data[MANY]
        if not isinstance(items, list) or not items:
            raise reader.fail((MANY,), N_("'deelopdrachten' moet een lijst zijn."))
        specs = [reader.deel(item, (MANY, n)) for n, item in enumerate(items)]
    else:
        specs = [reader.deel(data, ())]
    seen: set[str] = set()
    for spec in specs:
        if spec.code in seen:
            raise DeelSpecError(
                spec.lines["code"],
                N_("de korte naam '{code}' staat er twee keer."),
                code=spec.code,
            )
        seen.add(spec.code)
    return specs


# --------------------------------------------------------------------------- writing a file


def to_dict(spec: DeelSpec) -> dict[str, Any]:
    """The file's shape of one deelopdracht (empty texts and filters left out)."""
    out: dict[str, Any] = {
        "municipality": spec.municipality,
        "code": spec.code,
        "title": spec.title,
    }
    period = {k: v for k, v in (("starts_on", spec.starts_on), ("ends_on", spec.ends_on)) if v}
    if period:
        out["period"] = period
    for name in ("goals", "monitoring", "frequency", "accounting"):
        if getattr(spec, name):
            out[name] = getattr(spec, name)
    out["reporting_moments"] = list(spec.moments)
    out["followup_weeks"] = spec.followup_weeks
    out["active"] = spec.active
    measures = []
    for m in spec.measures:
        item: dict[str, Any] = {"kind": m.kind}
        if m.label:
            item["label"] = m.label
        target = target_text(m.target, m.kind)
        item["target"] = (
            target if is_share(m.kind) else float(target) if "." in target else int(target)
        )
        if m.window_months is not None:
            item["window_months"] = m.window_months
        if m.filter:
            item["filter"] = m.filter_dict()
        measures.append(item)
    out["measures"] = measures
    return out


def dump(specs: list[DeelSpec], *, many: bool | None = None) -> str:
    """The file `export` writes: one deelopdracht as is, several under `deelopdrachten:`."""
    many = len(specs) != 1 if many is None else many
    doc: Any = {MANY: [to_dict(s) for s in specs]} if many else to_dict(specs[0])
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)
