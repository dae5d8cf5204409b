"""SQL for the coordinator's digest and for reminders: aggregates and delivery bookkeeping.

The one module callers import; the work is done in:

* `bot.storage.digest_data`: the weekly digest's figures (SQL GROUP BY over one week);
* `bot.storage.digest_delivery`: who gets a digest, and the claims that make one process send
  it once (unique rows per recipient, kind and period; a lease for crashed senders);
* `bot.storage.reminder_delivery`: the daily reminders' claims (unique per user and day),
  snoozes and "Niets te melden".

Deliveries are decided by unique rows, never by memory: an INSERT ... ON CONFLICT DO NOTHING
claims; right before sending, the sender renews its claim with a conditional update and does
not send when it is no longer its own; the outcome is written under the same condition.
"""

from __future__ import annotations

from bot.storage.digest_data import TREND_WEEKS, week_digest
from bot.storage.digest_delivery import (
    FINISHED_DIGEST,
    DigestClaim,
    PendingDigest,
    Recipient,
    claim_digest,
    digest_claims,
    digest_recipients,
    finish_digest,
    renew_digest_claim,
    unfinished_digest_recipients,
)
from bot.storage.reminder_delivery import (
    ReminderTarget,
    add_day_off,
    answer_reminder,
    claim_new_reminders,
    get_reminder,
    logged_anything,
    new_reminder_candidates,
    pending_reminders,
    reclaim_reminder,
    renew_reminder_claim,
    set_reminder_status,
    snooze_reminder,
)

__all__ = [
    "FINISHED_DIGEST",
    "TREND_WEEKS",
    "DigestClaim",
    "PendingDigest",
    "Recipient",
    "ReminderTarget",
    "add_day_off",
    "answer_reminder",
    "claim_digest",
    "claim_new_reminders",
    "digest_claims",
    "digest_recipients",
    "finish_digest",
    "get_reminder",
    "logged_anything",
    "new_reminder_candidates",
    "pending_reminders",
    "reclaim_reminder",
    "renew_digest_claim",
    "renew_reminder_claim",
    "set_reminder_status",
    "snooze_reminder",
    "unfinished_digest_recipients",
    "week_digest",
]
