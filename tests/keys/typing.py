"""Keys as a fast typist or a paste over SSH sends them: several in one terminal read.

`type_ahead` posts every key to the app at once, the way the terminal driver does when one read holds
several keys, and only then lets the app run: no pause between keys for focus to move.
"""

from __future__ import annotations

import unicodedata

from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key


def key_event(key: str) -> events.Key:
    """The Key event the driver makes for `key` (a character such as "/" or a name such as "end")."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def type_ahead(app: App[object], *keys: str) -> None:
    """Post `keys` in one go, each a character or a key's name as Pilot takes them:
    `type_ahead(app, *"/deb", "enter")`."""
    for key in keys:
        app.post_message(key_event(key))
