"""The kit's messaging helpers under the name the handler modules use (re-exported as is)."""

from bot.dialogue.messages import MAX_CALLBACK_BYTES as MAX_CALLBACK_BYTES
from bot.dialogue.messages import MAX_TEXT as MAX_TEXT
from bot.dialogue.messages import Button as Button
from bot.dialogue.messages import answer as answer
from bot.dialogue.messages import answered_queries as answered_queries
from bot.dialogue.messages import edit_or_send as edit_or_send
from bot.dialogue.messages import esc as esc
from bot.dialogue.messages import keyboard as keyboard
from bot.dialogue.messages import reply as reply
from bot.dialogue.messages import send as send
