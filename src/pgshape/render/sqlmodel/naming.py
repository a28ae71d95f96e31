"""Python names for database names: classes, attributes, modules, enum members.

Every generated name is a valid, non-keyword Python identifier that survives NFKC
normalisation (Python normalises identifiers, so ``ﬁ`` would silently become ``fi``), does not
start with an underscore (pydantic treats those as private), and does not shadow anything
the generated module or SQLModel itself defines. When the attribute differs from the column
name, the column keeps its name through ``sa_column_kwargs={"name": ...}``.
"""

from __future__ import annotations

import keyword
import re
import unicodedata

# Attributes of SQLModel / pydantic.BaseModel that a field must not shadow.
SQLMODEL_ATTRIBUTES = frozenset(
    [
        "metadata",
        "registry",
        "copy",
        "dict",
        "json",
        "parse_obj",
        "parse_raw",
        "parse_file",
        "from_orm",
        "construct",
        "schema",
        "schema_json",
        "validate",
        "update_forward_refs",
        "model_config",
        "model_fields",
        "model_computed_fields",
        "model_extra",
        "model_fields_set",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "sqlmodel_update",
    ]
)

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+[a-z]*|[^\W\d_]+", re.UNICODE)


def _is_clean_identifier(name: str) -> bool:
    return (
        name.isidentifier()
        and unicodedata.normalize("NFKC", name) == name
        and not keyword.iskeyword(name)
        and not name.startswith("_")
    )


def words(name: str) -> list[str]:
    """The words of a name: ``FirstName`` / ``first_name`` / ``first name`` → first, name."""
    normalised = unicodedata.normalize("NFKC", name)
    found = [w for w in _WORD.findall(normalised) if re.fullmatch(r"\w+", w)]
    return found


def snake(name: str) -> str:
    text = "_".join(w.lower() for w in words(name))
    return text or "x"


def pascal(name: str) -> str:
    return "".join(w[:1].upper() + w[1:].lower() if not w.isupper() or len(w) > 1 else w for w in words(name))


MAX_NAME_WIDTH = 40  # longer names are shortened so that generated lines stay readable


def shorten(name: str) -> str:
    """A name cut to ``MAX_NAME_WIDTH`` display columns (a database name can be 63 bytes;
    East Asian wide characters take two columns)."""
    kept, used = [], 0
    for char in name:
        used += 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used > MAX_NAME_WIDTH:
            return "".join(kept).rstrip("_")
        kept.append(char)
    return name


def _fix_start(name: str, prefix: str) -> str:
    return f"{prefix}{name}" if not name or name[0].isdigit() else name


def attribute_name(column: str) -> str:
    """A field name for ``column``: the name itself when it is a clean identifier, else snake case."""
    if _is_clean_identifier(column) and column.lower() == column:
        name = column
    else:
        name = _fix_start(snake(column), "c")
    name = shorten(name)
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


_IRREGULAR = {"person": "people", "child": "children", "man": "men", "woman": "women", "datum": "data"}
_IRREGULAR_SINGULAR = {plural: single for single, plural in _IRREGULAR.items()}
_UNCOUNTABLE = frozenset({"data", "media", "news", "series", "species", "information", "metadata", "status"})


def singular(word: str) -> str:
    lower = word.lower()
    if lower in _UNCOUNTABLE or len(lower) < 3:
        return word
    if lower in _IRREGULAR_SINGULAR:
        return word[: len(word) - len(lower)] + _IRREGULAR_SINGULAR[lower]
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is", "os")):
        return word[:-1]
    return word


def plural(word: str) -> str:
    lower = word.lower()
    if lower in _UNCOUNTABLE:
        return word
    if lower in _IRREGULAR:
        return word[: len(word) - len(lower)] + _IRREGULAR[lower]
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    if lower.endswith(("s", "sh", "ch", "x", "z")):
        return word + "es"
    return word + "s"


def class_name(table: str) -> str:
    """``blog_posts`` → ``BlogPost``: PascalCase with the last word made singular."""
    parts = words(table)
    if parts:
        parts[-1] = singular(parts[-1])
    text = shorten(pascal("_".join(parts)))
    name = _fix_start(text, "T") if text else "Table"
    return name + "_" if keyword.iskeyword(name) else name


def plural_class(name: str) -> str:
    """``Hero`` → ``Heroes``, ``Category`` → ``Categories`` (for the ``XsPublic`` envelope)."""
    parts = re.findall(r"[A-Z][^A-Z]*|[^A-Z]+", name) or [name]
    parts[-1] = plural(parts[-1])
    return "".join(parts)


def member_name(label: str) -> str:
    """An enum member for a label: ``in progress`` → ``IN_PROGRESS``."""
    name = "_".join(w.upper() for w in words(label))
    name = _fix_start(name, "V") or "EMPTY"
    return name + "_" if keyword.iskeyword(name) else name


def module_name(table: str) -> str:
    name = _fix_start(snake(table), "t")
    return name + "_" if keyword.iskeyword(name) or keyword.issoftkeyword(name) else name


class Namespace:
    """Hands out unique names: a taken name gets a ``_2``, ``_3``… suffix (or ``2`` for classes)."""

    def __init__(self, taken: set[str] | frozenset[str] = frozenset(), *, separator: str = "_") -> None:
        self.taken = set(taken)
        self.separator = separator

    def claim(self, wanted: str) -> str:
        name, n = wanted, 1
        while name in self.taken or keyword.iskeyword(name):
            n += 1
            name = f"{wanted}{self.separator}{n}"
        self.taken.add(name)
        return name
