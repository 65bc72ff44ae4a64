"""Which bindings change the server: hidden and refused in `--read-only` mode (the API service
refuses them too; this keeps them out of the footer, the help and the palette)."""

from __future__ import annotations

from textual.binding import Binding
from textual.dom import DOMNode

#: Binding ids that only look or move around; everything else under these namespaces changes things.
_CHANGING_NAMESPACES = ("torrent.",)
_CHANGING_IDS = frozenset(
    {
        "app.alt-speed",
        "app.speed-limits",
        "app.categories",
        "app.server",
        "app.preferences",
        "app.creator",
        "details.content-high",
        "details.content-maximum",
        "details.content-normal",
        "details.content-skip",
        "details.content-rename",
        "details.webseeds-add",
        "details.webseeds-edit",
        "details.webseeds-remove",
        "details.general-comment",
        "details.general-download-path",
        "details.peers-add",
        "details.peers-ban",
        "details.trackers-add",
        "details.trackers-edit",
        "details.trackers-remove",
        "problems.fix",
        "problems.recheck",
        "problems.reannounce",
        "problems.pause",
        "problems.location",
    }
)


def binding_changes_the_server(binding: Binding) -> bool:
    binding_id = binding.id or ""
    return binding_id.startswith(_CHANGING_NAMESPACES) or binding_id in _CHANGING_IDS


def changes_the_server(node: DOMNode, action: str) -> bool:
    """Whether `action`, as bound on `node`'s class, is one that changes the server."""
    return any(
        isinstance(binding, Binding)
        and binding.action.split("(")[0] == action
        and binding_changes_the_server(binding)
        for binding in type(node).BINDINGS
    )
