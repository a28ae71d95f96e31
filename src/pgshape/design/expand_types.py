"""Expansion of types: enums, domains, composite types, sequences, and type names."""

from __future__ import annotations

from pgshape.design.errors import DesignError, closest
from pgshape.design.expand_base import EXTENSION_TYPES, ExpanderBase, Path, default_text
from pgshape.design.sqltext import split_qualified
from pgshape.design.types import PLAIN_TYPES, SERIAL_TYPES, UnknownType, canonical_builtin, split_array
from pgshape.model import (
    CheckConstraint,
    CompositeAttribute,
    CompositeType,
    Domain,
    EnumType,
)
from pgshape.model import (
    Sequence as SequenceObject,
)
from pgshape.render.identifiers import qualified, quote_ident


class TypesMixin(ExpanderBase):
    def resolve_type(self, text: str, path: Path) -> str:
        base, array = split_array(text)
        try:
            return canonical_builtin(text)
        except UnknownType:
            pass
        if base.lower() in SERIAL_TYPES:
            raise DesignError(
                f"type {text!r}: serial types are not used in designs; write "
                "`identity: true` on an integer column (or rely on project.primary_key)",
                path,
            )
        found = self.user_type(base)
        if found is not None:
            return found + array
        modifiers = ""
        bare = base
        if "(" in base and base.endswith(")"):
            bare, modifiers = base[: base.index("(")].strip(), base[base.index("(") :].replace(" ", "")
        for extension in self.extensions:
            if bare.lower() in EXTENSION_TYPES.get(extension.name, ()):
                return f"{qualified(extension.schema, bare.lower())}{modifiers}{array}"
        if "." in bare and self.extensions:
            return text  # a qualified type of an extension the file installs (as dumped)
        known = sorted(
            {name for _, name in self.user_types} | set(PLAIN_TYPES) | {"integer", "bigint", "text"}
        )
        raise DesignError(f"unknown type {text!r}{closest(bare.lower(), known)}", path)

    def user_type(self, text: str) -> str | None:
        schema, name = split_qualified(text) if "." in text or '"' in text else (None, text)
        if schema is not None:
            return self.user_types.get((schema, name))
        found = self.user_types.get((self.default_schema, name))
        if found is not None:
            return found
        matches = [spelled for (_, type_name), spelled in self.user_types.items() if type_name == name]
        return matches[0] if len(matches) == 1 else None

    def read_types(self) -> None:
        spec = self.spec
        for key, enum in spec.enums.items():
            schema, name = self.name_of(key, enum.name, enum.schema_)
            path: Path = ("enums", key)
            if len(set(enum.values)) != len(enum.values):
                raise DesignError(f"enum {name}: a value is listed twice", (*path, "values"))
            if self.settings.enums == "check":
                self.enum_check[(schema, name)] = tuple(enum.values)
                self.user_types[(schema, name)] = "text"
                continue
            self.enums[(schema, name)] = EnumType(
                schema, name, tuple(enum.values), enum.comment, origin=self.origin(path)
            )
            self.user_types[(schema, name)] = qualified(schema, name)
        for key, domain in spec.domains.items():
            self.user_types[self.name_of(key, domain.name, domain.schema_)] = qualified(
                *self.name_of(key, domain.name, domain.schema_)
            )
        for key, composite in spec.composite_types.items():
            self.user_types[self.name_of(key, composite.name, composite.schema_)] = qualified(
                *self.name_of(key, composite.name, composite.schema_)
            )

    def read_domains(self) -> list[Domain]:
        domains = []
        for key, spec in self.spec.domains.items():
            schema, name = self.name_of(key, spec.name, spec.schema_)
            path: Path = ("domains", key)
            checks = [
                CheckConstraint(
                    check.name or check_key,
                    check.expression,
                    validated=not check.not_valid,
                    comment=check.comment,
                    origin=self.origin((*path, "checks", check_key)),
                )
                for check_key, check in spec.checks.items()
            ]
            domains.append(
                Domain(
                    schema,
                    name,
                    self.resolve_type(spec.type, (*path, "type")),
                    nullable=spec.nullable,
                    default=None if spec.default is None else default_text(spec.default),
                    collation=self.collation(spec.collation),
                    checks=tuple(checks),
                    comment=spec.comment,
                    origin=self.origin(path),
                )
            )
        return domains

    def read_composites(self) -> list[CompositeType]:
        composites = []
        for key, spec in self.spec.composite_types.items():
            schema, name = self.name_of(key, spec.name, spec.schema_)
            path: Path = ("composite_types", key)
            attributes = tuple(
                CompositeAttribute(
                    attr,
                    self.resolve_type(type_text, (*path, "attributes", attr)),
                    self.collation(spec.collations.get(attr)),
                )
                for attr, type_text in spec.attributes.items()
            )
            composites.append(CompositeType(schema, name, attributes, spec.comment, origin=self.origin(path)))
        return composites

    def read_sequences(self) -> list[SequenceObject]:
        sequences = []
        for key, spec in self.spec.sequences.items():
            schema, name = self.name_of(key, spec.name, spec.schema_)
            path: Path = ("sequences", key)
            owned_by = None
            if spec.owned_by:
                parts = spec.owned_by.rsplit(".", 1)
                if len(parts) != 2:
                    raise DesignError("owned_by must be table.column", (*path, "owned_by"))
                draft = self.find_draft(parts[0], (*path, "owned_by"))
                if draft.column(parts[1]) is None:
                    raise DesignError(
                        f"owned_by: table {draft.name} has no column {parts[1]!r}"
                        f"{closest(parts[1], [c.name for c in draft.columns])}",
                        (*path, "owned_by"),
                    )
                owned_by = (draft.schema, draft.name, parts[1])
            sequences.append(
                SequenceObject(
                    schema,
                    name,
                    self.resolve_type(spec.type, (*path, "type")),
                    spec.start,
                    spec.increment,
                    spec.min_value,
                    spec.max_value,
                    spec.cache,
                    spec.cycle,
                    owned_by,
                    spec.comment,
                    origin=self.origin(path),
                )
            )
        return sequences

    def collation(self, text: str | None) -> str | None:
        if text is None:
            return None
        if "." in text or text.startswith('"'):
            return text
        return f"pg_catalog.{quote_ident(text)}" if text != "default" else None
