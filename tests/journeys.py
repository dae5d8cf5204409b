"""Steps that many journeys share, each still a real update through the fake Telegram server:
press a row of buttons, take the reply to one action and check what it shows, and the longer
walks several tests start with (a deelopdracht made in chat, a contact logged by buttons)."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from typing import Any

from fakebot.scenario import ChatUser, Replies, Reply


async def tap_through(user: ChatUser, labels: Iterable[str]) -> Replies:
    """Press each button in turn, each on the latest message with a keyboard; the replies to
    the last press."""
    replies: Replies | None = None
    for label in labels:
        replies = await user.press(label)
    assert replies is not None, "tap_through was given no button to press"
    return replies


async def expert_at(bot: Any, command: str, *taps: str) -> ChatUser:
    """A new expert (Anna, Venlo) who typed `command` and then pressed each of `taps`."""
    anna = await bot.expert()
    await anna.says(command)
    if taps:
        await tap_through(anna, taps)
    return anna


async def reply_to(action: Awaitable[Replies], *shown: str, last: bool = False) -> Reply:
    """The one reply to `action` (with `last`: the last of its replies), which must show each
    text of `shown`."""
    replies = await action
    reply = replies.last if last else replies.only
    for text in shown:
        assert text in reply.text, f"{text!r} not shown in:\n{reply.text}\n\n{replies.transcript}"
    return reply


async def says_each(user: ChatUser, *texts: str) -> Replies:
    """Type each text in turn; the replies to the last one."""
    replies: Replies | None = None
    for text in texts:
        replies = await user.says(text)
    assert replies is not None, "says_each was given nothing to say"
    return replies


async def create_deelopdracht(
    carla: ChatUser, title: str, starts: str, *, code: str | None = None, gemeente: str = "Venlo"
) -> Reply:
    """The coordinator makes a new deelopdracht of 12 months in chat, its short name typed as
    `code` or else the one the bot suggests; the opened deelopdracht."""
    await carla.says("/deelopdracht")
    await tap_through(carla, [gemeente, "Nieuwe deelopdracht"])
    await carla.says(title)
    await (carla.press("Gebruik ") if code is None else carla.says(code))
    await carla.says(starts)
    return (await carla.press("12 maanden")).only


async def add_measure(carla: ChatUser, kind: str, target: str, *taps: str) -> Reply:
    """On an opened deelopdracht: a measure of `kind` with `target` typed, then `taps` (its
    window, perhaps a filter) and Opslaan; the deelopdracht shown again."""
    await tap_through(carla, ["Meetpunt erbij", kind])
    await carla.says(target)
    return (await tap_through(carla, [*taps, "Opslaan"])).only


async def contact_by_buttons(
    anna: ChatUser,
    place: str,
    residents: Iterable[str],
    *,
    gemeente: str = "Venlo",
    theme: str = "armoede",
    duration: str = "45 min",
) -> Reply:
    """/contact by buttons: today, `gemeente`, `place`, inloop about `theme`, then the
    residents' buttons and `duration` (the reach follows from inloop); the summary."""
    await anna.says("/contact")
    await tap_through(anna, ["Vandaag", gemeente, place, "inloop", theme, "Verder"])
    await tap_through(anna, residents)
    return (await anna.press(duration)).last


async def add_key_figure(
    person: ChatUser,
    role: str,
    *,
    place: str = "Geen plek (overslaan)",
    quality: str = "Goed contact",
) -> Reply:
    """/sleutelfiguur `role` in the expert's own municipality, since today; the list after
    Opslaan."""
    await person.says(f"/sleutelfiguur {role}")
    summary = tap_through(person, ["(jouw gemeente)", place, "Vandaag", quality])
    await reply_to(summary, "Klopt dit?", last=True)
    return await reply_to(person.press("Opslaan"), f"Opgeslagen: {role}.", last=True)


async def log_signal(
    anna: ChatUser, text: str, *, kind: str = "trend", gemeente: str = "Venlo", theme: str
) -> Replies:
    """/signaal by buttons, the text typed, then Opslaan; the replies to Opslaan."""
    await anna.says("/signaal")
    await tap_through(anna, [kind, gemeente, theme])
    await anna.says(text)
    return await anna.press("Opslaan")


async def log_story(anna: ChatUser, text: str, *, gemeente: str, theme: str) -> Replies:
    """/verhaal by buttons, the text typed, then Opslaan; the replies to Opslaan."""
    await anna.says("/verhaal")
    await tap_through(anna, [gemeente, theme])
    await anna.says(text)
    return await anna.press("Opslaan")
