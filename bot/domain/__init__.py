"""Pure domain logic: no Telegram, no database, no user-facing strings."""
