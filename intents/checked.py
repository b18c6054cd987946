"""Plain frozen dataclasses that pydantic validates: the catalog's classes without pydantic at run time.

The catalog is validated once, when its YAML is read (`validate`, through pydantic); the
index cache then holds plain dataclasses, so a command that answers from the cache never
imports pydantic (importing it and building the model classes was half of a short
`kubemedic match`).  Constraints are markers pydantic reads when it builds a validator
(`Checked` for lengths and patterns, `After` for a check on one field) and each class's
`_check` for checks across its fields; none of them imports pydantic at import time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar, cast

T = TypeVar("T")


@dataclass(frozen=True)
class Checked:
    """Length and pattern constraints on a string or a list (pydantic's own, with its messages)."""

    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        schema = handler(source)
        schema.update(
            {name: value for name, value in dataclasses.asdict(self).items() if value is not None}
        )
        return schema


@dataclass(frozen=True)
class After:
    """A check run on a field's validated value; a ValueError it raises names the field."""

    check: Callable[[Any], Any]

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.check, handler(source))


class Strict:
    """Base of the catalog's dataclasses: unknown keys are refused, then `_check` runs."""

    __pydantic_config__: ClassVar[Mapping[str, str]] = {"extra": "forbid"}

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Callable[[Any], Any]) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(_run_check, handler(source))

    def _check(self) -> None:
        """Raise ValueError when the fields do not fit together (after each field is valid)."""


def _run_check(value: Strict) -> Strict:
    value._check()
    return value


def validate(cls: type[T], document: object) -> T:
    """`document` (parsed YAML or JSON) as a `cls`; raises pydantic.ValidationError."""
    adapter = _ADAPTERS.get(cls)
    if adapter is None:
        from pydantic import TypeAdapter

        adapter = _ADAPTERS[cls] = TypeAdapter(cls)
    return cast(T, adapter.validate_python(document))


_ADAPTERS: dict[type, Any] = {}
"""One validator per class, built on its first document."""


def as_dict(
    value: object,
    *,
    exclude: frozenset[str] = frozenset(),
    exclude_none: bool = False,
    exclude_defaults: bool = False,
) -> dict[str, Any]:
    """A dataclass's fields as plain data, nested dataclasses included (the flags apply to them too)."""
    out: dict[str, Any] = {}
    for field in dataclasses.fields(value):  # type: ignore[arg-type]
        item = getattr(value, field.name)
        if field.name in exclude or (exclude_none and item is None):
            continue
        if exclude_defaults and _is_default(field, item):
            continue
        out[field.name] = _plain(item, exclude_none, exclude_defaults)
    return out


def named_fields(value: object) -> dict[str, Any]:
    """The fields set to something other than their default."""
    return as_dict(value, exclude_defaults=True)


def _is_default(field: dataclasses.Field[Any], item: object) -> bool:
    if field.default is not dataclasses.MISSING:
        return bool(item == field.default)
    if field.default_factory is not dataclasses.MISSING:
        return bool(item == field.default_factory())
    return False


def _plain(item: object, exclude_none: bool, exclude_defaults: bool) -> Any:
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return as_dict(item, exclude_none=exclude_none, exclude_defaults=exclude_defaults)
    if isinstance(item, list | tuple):
        return [_plain(x, exclude_none, exclude_defaults) for x in item]
    if isinstance(item, dict):
        return {key: _plain(x, exclude_none, exclude_defaults) for key, x in item.items()}
    return item
