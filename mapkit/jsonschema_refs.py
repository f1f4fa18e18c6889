"""Resolve a JSON Schema's ``$ref`` values offline, so a reference that points nowhere is a
:class:`~mapkit.SchemaError` when the schema is parsed rather than a crash during validation.

mapkit never fetches a schema over the network: a ``$ref`` resolves only to a location inside
the schema itself or to a JSON Schema meta-schema that ``jsonschema-specifications`` ships.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Final

import referencing
import referencing.exceptions
import referencing.jsonschema
from jsonschema_specifications import REGISTRY as META_SCHEMAS

from mapkit.errors import SchemaError
from mapkit.paths import join_index, join_key

if TYPE_CHECKING:
    from referencing._core import Resolver

__all__ = ["OFFLINE_REGISTRY", "check_refs", "find_ref", "ref_error"]

# A registry without a retrieve function: jsonschema combines it with the meta-schemas it
# ships, and any other URI raises instead of being fetched with urllib (jsonschema's default).
OFFLINE_REGISTRY: Final[referencing.jsonschema.SchemaRegistry] = referencing.Registry()

# Keywords whose values are data, not subschemas, so a "$ref" key inside them is no reference.
_DATA_KEYWORDS: Final = frozenset({"enum", "const", "default", "examples"})

# A $dynamicRef or $recursiveRef falls back to its static target when no dynamic anchor
# overrides it, so that target must exist as well.
_REF_KEYWORDS: Final = ("$ref", "$dynamicRef", "$recursiveRef")

_COPY_FIX: Final = ('Copy the referenced schema into "$defs" and point to it as '
                    '"#/$defs/<name>"')


def check_refs(schema: dict[str, Any], meta_schema: dict[str, Any]) -> None:
    """Resolve every reference in ``schema``, raising :class:`SchemaError` for the first that fails.

    ``meta_schema`` is the meta-schema of the validator that will check payloads. It decides
    which draft's rules (``$id`` or ``id``, ``$anchor``) apply.
    """
    specification = referencing.jsonschema.specification_with(
        dialect_id=str(meta_schema.get("$id") or meta_schema.get("id") or ""),
        default=referencing.jsonschema.DRAFT202012)
    registry = META_SCHEMAS.combine(OFFLINE_REGISTRY)
    resolver = registry.resolver_with_root(specification.create_resource(schema))
    _walk(schema, "", resolver, specification)


def _walk(node: Any, path: str, resolver: Resolver[Any],
          specification: referencing.Specification[Any]) -> None:
    if isinstance(node, list):
        for index, item in enumerate(node):
            _walk(item, join_index(path, index), resolver, specification)
        return
    if not isinstance(node, dict):
        return

    resolver = resolver.in_subresource(specification.create_resource(node))
    for keyword in _REF_KEYWORDS:
        ref = node.get(keyword)
        if isinstance(ref, str):
            try:
                resolver.lookup(ref)
            except referencing.exceptions.Unresolvable as error:
                raise ref_error(join_key(path, keyword), ref, error) from None

    for key, value in node.items():
        if key not in _DATA_KEYWORDS:
            _walk(value, join_key(path, key), resolver, specification)


def find_ref(schema: Any, error: referencing.exceptions.Unresolvable) -> tuple[str, str]:
    """Return the path and value of the reference in ``schema`` that raised ``error``.

    referencing reports a missing JSON Pointer without its ``#`` and a missing anchor by name,
    so each spelling is tried. Returns ``("", error.ref)`` when no reference matches.
    """
    spellings = [error.ref, f"#{error.ref}"]
    anchor = getattr(error, "anchor", None)
    if anchor is not None:
        spellings.append(f"#{anchor}")
    for path, ref in _refs(schema, ""):
        if ref in spellings:
            return path, ref
    return "", error.ref


def _refs(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _refs(item, join_index(path, index))
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in _REF_KEYWORDS and isinstance(value, str):
            yield join_key(path, key), value
        elif key not in _DATA_KEYWORDS:
            yield from _refs(value, join_key(path, key))


def ref_error(path: str, ref: str, error: referencing.exceptions.Unresolvable) -> SchemaError:
    """Build the :class:`SchemaError` for a ``$ref`` at ``path`` that did not resolve."""
    if isinstance(error, referencing.exceptions.PointerToNowhere):
        # Drafts before 2019-09 keep definitions under "definitions", so the hint follows the
        # folder the reference itself names.
        folder = "definitions" if "/definitions/" in ref else "$defs"
        return SchemaError(path, f"is {ref!r}, which points to nothing in the schema",
                           f'Point it at a location that exists, such as "#/{folder}/<name>", '
                           "or add the missing definition")
    if isinstance(error, referencing.exceptions.NoSuchAnchor):
        return SchemaError(path, f"is {ref!r}, but the schema has no anchor named "
                                 f"{error.anchor!r}",
                           'Add "$anchor" with that name to the subschema it should point to, '
                           "or correct the reference")
    if isinstance(error, referencing.exceptions.InvalidAnchor):
        return SchemaError(path, f"is {ref!r}, which is neither an anchor name nor a JSON "
                                 "Pointer",
                           f'Start a JSON Pointer with a slash, as in "#/{error.anchor}"')
    # Anything else names a schema outside this one (a URL, or a file relative to "$id").
    return SchemaError(path, f"is {ref!r}, which is not inside this schema, and mapkit does "
                             "not fetch schemas from elsewhere", _COPY_FIX)
