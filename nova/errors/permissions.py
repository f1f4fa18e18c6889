"""Find the scope a permission error lacks, from the message and the provider lexicon.

``scopes.json`` beside this module contains each provider's display name, whether it has a
public status page, and the names of the scopes that read or write each resource.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from nova.errors.fields import QUOTE
from nova.errors.words import is_function_word, is_resource_word

__all__ = ["has_status_page", "missing_permission", "provider_display_name", "scope_for"]

# Scope names as providers write them: chat:write, users:read.email,
# crm.objects.contacts.write, User.ReadWrite.All, auth/admin.directory.user. A dotted name that
# continues with a capital letter, as in google.auth.exceptions.RefreshError, is a Python path.
_SCOPE_TOKEN = re.compile(
    r"https://www\.googleapis\.com/auth/[\w.]+"
    r"|\b[a-z]+(?::[a-z]+)+(?:\.[a-z]+)?\b"
    r"|\b[a-z]+(?:\.[a-z]+){2,}\b(?!\.\w)"
    r"|\b[A-Z][a-z]+\.(?:Read|ReadWrite|Write|Send|Manage)(?:\.[A-Z][a-z]+)*\b"
)
_SCOPE_CONTEXT = re.compile(r"scope|needed|required|permission|grant", re.IGNORECASE)
# Slack lists the scopes a token already has after the ones it lacks ("needed: chat:write,
# provided: users:read"). Other providers write "have". Scopes after such a word are granted.
_GRANTED_MARKER = re.compile(r"\b(?:provided|granted|current|have|has)\b", re.IGNORECASE)
# "lacks write access to directory", "write permission on contacts" put the access verb before
# the resource. After "permission to", the next word is the verb: "not allowed to create a
# ticket", "permission to execute the specified operation".
_ACCESS_PHRASE = re.compile(
    r"(?<!\w)(?P<verb>\w+)\s+"
    r"(?:access\s+(?:to|on|for)|(?:permissions?|rights?|privileges?)\s+(?:on|for))"
    r"\s+(?P<rest>[^.;:,()]*)"
    r"|(?:permissions?|privileges?|rights?|not allowed|not authori[sz]ed|not permitted)\s+to\s+"
    r"(?P<verb2>\w+)\s+(?P<rest2>[^.;:,()]*)",
    re.IGNORECASE,
)
# Words between the preposition and the resource that point to it without naming it: the
# English determiners, and adjectives such as "the specified operation".
_DETERMINERS = frozenset(
    {"a", "all", "an", "any", "each", "every", "her", "his", "its", "my", "our", "some"}
    | {"that", "the", "their", "these", "this", "those", "your"}
)
_RESOURCE_ADJECTIVES = frozenset(
    {"given", "necessary", "proper", "requested", "required", "specific", "specified"}
)
# The request a message names as an HTTP method and path, such as "POST /users".
_REQUEST_LINE = re.compile(r"\b(?P<method>GET|HEAD|POST|PUT|PATCH|DELETE)\s+(?P<path>/[^\s:?]*)")
_READ_METHODS = frozenset({"GET", "HEAD"})


@cache
def _lexicon() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("scopes.json").read_text(encoding="utf-8")
    lexicon: dict[str, Any] = json.loads(text)
    return lexicon


def provider_display_name(provider: str | None) -> str | None:
    """Return a provider's display name (``google_directory`` -> ``Google Directory``).

    A provider outside the lexicon keeps the name as the caller sent it, because a guessed
    capitalisation (``Nosuchprovider``, ``Acmehr`` for AcmeHR) reads as a name the caller
    never used.
    """
    if not provider:
        return None
    entry = _lexicon()["providers"].get(provider)
    if entry:
        return str(entry["display_name"])
    return provider


def has_status_page(provider: str | None) -> bool:
    """Return whether a fix may send the user to the provider's status page.

    Providers are assumed to have one unless their entry sets ``"status_page": false``, as the
    built-in ``echo`` test provider's does.
    """
    entry = _lexicon()["providers"].get(provider or "", {})
    return bool(entry.get("status_page", True))


def _access_of(verb: str) -> str | None:
    verb = verb.lower()
    for access, words in _lexicon()["access_words"].items():
        if verb in words:
            return str(access)
    return None


def scope_for(provider: str | None, resource: str, access: str) -> str:
    """Name the scope that grants ``access`` (read or write) on ``resource`` for ``provider``.

    A provider without an entry for the resource gets the generic ``{resource}.{access}``.
    """
    resource = resource.lower()
    entry = _lexicon()["providers"].get(provider or "", {})
    named = entry.get("resources", {}).get(resource, {}).get(access)
    if named:
        return str(named)
    return str(_lexicon()["generic_format"].format(resource=resource, access=access))


def _explicit_scope(message: str) -> str | None:
    if not _SCOPE_CONTEXT.search(message):
        return None
    granted = _GRANTED_MARKER.search(message)
    if granted and _SCOPE_TOKEN.search(message, 0, granted.start()):
        message = message[: granted.start()]
    scopes = []
    for match in _SCOPE_TOKEN.finditer(message):
        token = match.group(0)
        # Hostnames and file names also contain dots, but a scope name has no digits, no
        # top-level domain and no file extension. Google's scope URLs are the exception.
        if re.search(r"\d|\.(com|net|org|io|json|py)\b", token) and not token.startswith(
            "https://"
        ):
            continue
        if token not in scopes:
            scopes.append(token)
    return ", ".join(scopes) or None


def _resource_in(text: str) -> str | None:
    """Return the resource word that ``text`` starts with, after determiners and adjectives.

    "the specified operation" and "this resource/api" name no resource. A word followed by a
    determiner is a verb ("access to perform this action"), and so is an access verb after a
    conjunction ("access or delete your messages"). A quoted name such as 'Microsoft Graph'
    is an API, not a resource of one.
    """
    if re.match(rf"\s*{QUOTE}", text):
        return None
    words = [word.lower() for word in re.findall(r"[\w-]+", text)]
    for index, word in enumerate(words[:4]):
        if word in _DETERMINERS or word in _RESOURCE_ADJECTIVES:
            continue
        if is_function_word(word) or _access_of(word) or not is_resource_word(word):
            return None
        if index + 1 < len(words) and words[index + 1] in _DETERMINERS:
            return None
        return word
    return None


def _named_access(message: str) -> tuple[str, str | None] | None:
    """Return the first resource an access phrase names, with its access (read or write)."""
    for match in _ACCESS_PHRASE.finditer(message):
        verb = match.group("verb") or match.group("verb2")
        resource = _resource_in(match.group("rest") or match.group("rest2") or "")
        if resource is not None:
            return resource, _access_of(verb)
    return None


def _requested_operation(message: str, provider: str | None) -> tuple[str, str] | None:
    """Return the resource and access (read or write) of the request line in ``message``.

    The resource is the last path segment that the provider's scope lexicon lists, so
    ``PUT /users/lin@example.com`` is a write to ``users``.
    """
    match = _REQUEST_LINE.search(message)
    if match is None:
        return None
    listed = _lexicon()["providers"].get(provider or "", {}).get("resources", {})
    access = "read" if match.group("method") in _READ_METHODS else "write"
    for segment in reversed(match.group("path").lower().split("/")):
        if segment in listed:
            return segment, access
    return None


def _known_scope(provider: str | None, resource: str, access: str) -> str | None:
    """Return ``scope_for(provider, resource, access)``, or None when no such scope exists.

    A scope does not exist when the lexicon lists scopes for the resource but none for this
    access. Slack, for example, has no scope that writes ``user``, so ``user.write`` would
    mislead.
    """
    listed = _lexicon()["providers"].get(provider or "", {}).get("resources", {})
    if resource in listed and access not in listed[resource]:
        return None
    return scope_for(provider, resource, access)


def missing_permission(message: str, provider: str | None) -> dict[str, str | None]:
    """Return the scope a permission error lacks and the resource it names."""
    explicit = _explicit_scope(message)
    resource, access = _named_access(message) or (None, None)
    if explicit:
        return {"missing_permission": explicit, "resource": resource}
    if resource is not None and access is not None:
        scope = _known_scope(provider, resource, access)
        # A scope of None means the lexicon lists the resource but no scope for this access.
        # The missing permission is then for the action ("permission to invite a user"), not
        # for the resource, so the resource is left out too.
        return {"missing_permission": scope, "resource": resource if scope else None}
    operation = _requested_operation(message, provider)
    if operation is not None:
        resource, access = operation
        return {"missing_permission": scope_for(provider, resource, access), "resource": resource}
    return {"missing_permission": None, "resource": resource}
