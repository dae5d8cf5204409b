"""issue 15: the village (kern) of a contact, several referrals per contact, seeded aliases

- contact.village_id: the kern the expert named ("Tegelen"), shown as "Venlo (Tegelen)".
- contact_referral: every referral of a contact. contact.referral_target_id stays the first
  one, so existing rows and the report queries keep working; existing referrals are copied.
- The vocabularies' aliases: the seeded ones (bot/data/vocabulary.toml) that a row lacks are
  added; words a coordinator added or removed stay as they are otherwise.

Revision ID: parse_1
Revises: 0002
Create Date: 2026-12-01 06:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.migrations import kit

revision: str = "parse_1"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The aliases this revision seeds (new in vocabulary.toml at this revision), per list and code.
NEW_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "activity_type": {
        "een_op_een": (
            "huisbezoek",
            "keukentafelgesprek",
            "keukentafel",
            "wandeling",
            "wandelen",
            "koffie",
            "bakkie",
            "telefonisch",
            "telefoon",
            "gebeld",
            "bellen",
            "belafspraak",
            "videobellen",
            "appen",
            "afspraak",
            "begeleiding",
            "meegegaan",
            "meelopen",
        ),
        "groep": ("lotgenotengroep", "lotgenotencontact", "herstelgroep", "praatgroep", "wrap"),
        "inloop": ("inloopspreekuur", "koffieochtend", "open huis"),
        "outreach": ("straatwerk", "aanbellen", "deur-aan-deur", "markt", "ronde"),
        "training": ("presentatie", "gastles", "les"),
        "beleid": ("adviesraad", "klankbord"),
        "netwerk": ("netwerkoverleg", "kennismaking", "ketenoverleg"),
    },
    "indirect_kind": {
        "overleg": ("teamoverleg", "werkoverleg", "mdo", "casusoverleg", "meeting"),
        "scholing": ("studie", "leren", "webinar"),
        "reistijd": ("rijden", "onderweg", "reis"),
        "administratie": ("registratie", "mail", "mailen", "verslag", "rapportage"),
        "voorbereiding": ("voorbereiden", "prep"),
    },
    "theme": {
        "armoede": ("geldproblemen", "rondkomen"),
        "schulden": ("betalingsachterstand", "achterstand", "rekeningen"),
        "psychisch": ("depressie", "angst", "burn-out", "somber"),
        "wonen": ("woning", "huisuitzetting", "uitzetting"),
        "ziekte_beperking": ("handicap", "chronisch"),
        "werk_dagbesteding": ("werkloos", "uitkering", "vrijwilligerswerk"),
        "opvoeding_gezin": ("ouders", "scheiding"),
        "justitie": ("reclassering", "gevangenis"),
    },
    "reach_channel": {
        "professional": ("verwijzing", "huisarts"),
        "zelf": ("zelfmelder", "aangemeld"),
        "netwerk": ("buren", "familie", "mond-tot-mond"),
    },
    "referral_target": {
        "schuldhulp": ("schuldhulpmaatje", "budgetcoach"),
        "wmo": ("wmo-consulent", "consulent"),
        "welzijn": ("welzijnswerk", "maatschappelijk werk", "amw"),
    },
}


def _add_aliases() -> None:
    conn = op.get_bind()
    for table_name, per_code in NEW_ALIASES.items():
        table = sa.table(table_name, sa.column("code"), sa.column("aliases"))
        for code, words in per_code.items():
            row = conn.execute(sa.select(table.c.aliases).where(table.c.code == code)).first()
            if row is None:
                continue  # not seeded yet: the seed step adds it with every alias
            have = [a for a in (row[0] or "").split(";") if a]
            merged = have + [w for w in words if w not in have]
            text = ";".join(merged)
            if len(text) <= 500 and merged != have:
                conn.execute(sa.update(table).where(table.c.code == code).values(aliases=text))


def upgrade() -> None:
    kit.add_columns(
        "contact",
        kit.integer("village_id", nullable=True),
        fks=[("fk_contact_village", "village_id", "village")],
    )
    kit.link_table(
        "contact_referral", ("contact_id", "contact"), ("referral_target_id", "referral_target")
    )
    op.execute(
        "INSERT INTO contact_referral (contact_id, referral_target_id) "
        "SELECT id, referral_target_id FROM contact WHERE referral_target_id IS NOT NULL"
    )
    _add_aliases()


def downgrade() -> None:
    kit.drop_table("contact_referral", [kit.link_index("contact_referral", "referral_target_id")])
    kit.drop_columns("contact", "village_id", fks=["fk_contact_village"])
