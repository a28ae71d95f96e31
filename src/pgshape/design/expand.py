"""Design spec → schema model (pure: no I/O, no server).

The expansion applies the careful designer's defaults of the ``project:`` section — a surrogate
key on every table without one, foreign keys typed like the key they reference and backed by an
index, NOT NULL unless said otherwise, names from the naming convention — and spells every type
the way PostgreSQL prints it. Expressions stay as written (``expressions_canonical=False``).
Errors are :class:`DesignError` with the key path of the offending part.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from pgshape.design.errors import DesignError, closest
from pgshape.design.expand_base import INTEGER_TYPES, SIMPLE_NAME, Draft, Path, default_text, deferral
from pgshape.design.expand_routines import RoutinesMixin
from pgshape.design.positions import Positions
from pgshape.design.settings import truncate_identifier
from pgshape.design.spec import (
    CheckSpec,
    ColumnSpec,
    DesignSpec,
    ForeignKeySpec,
    ReferenceSpec,
    TableSpec,
)
from pgshape.design.sqltext import split_qualified
from pgshape.model import (
    CheckConstraint,
    Column,
    Database,
    EnumType,
    ExclusionConstraint,
    Extension,
    ForeignKey,
    Generated,
    Identity,
    Index,
    IndexKey,
    PartitionOf,
    Policy,
    PrimaryKey,
    SchemaInfo,
    Table,
    UniqueConstraint,
)
from pgshape.render.identifiers import qualified, quote_ident, quote_literal


def expand(spec: DesignSpec, positions: Positions) -> Database:
    """The schema model a validated design spec describes (before patterns are applied)."""
    return _Expander(spec, positions).run()


class _Expander(RoutinesMixin):
    def run(self) -> Database:
        spec = self.spec
        self.extensions = [
            Extension(
                name=ext.name,
                schema=ext.schema_ or self.default_schema,
                version=ext.version,
                origin=self.origin(("extensions", index)),
            )
            for index, ext in enumerate(spec.extensions)
        ]
        self.read_types()
        domains = self.read_domains()
        composites = self.read_composites()
        for key, table_spec in spec.tables.items():
            schema, name = self.name_of(key, table_spec.name, table_spec.schema_)
            if (schema, name) in self.drafts:
                raise DesignError(f"table {schema}.{name} is declared twice", ("tables", key))
            self.drafts[(schema, name)] = Draft(schema, name, ("tables", key), table_spec)
        for draft in list(self.drafts.values()):
            self.read_partitions(draft)
        for key in self.drafts:  # every table is also a composite type of its rows
            self.user_types.setdefault(key, qualified(*key))
        for draft in self.drafts.values():
            self.read_columns(draft)
        for draft in self.drafts.values():
            self.read_primary_key(draft)
        self.type_references()
        for draft in self.drafts.values():
            self.check_partition_parent(draft)
        for draft in self.drafts.values():
            self.read_constraints(draft)
        for index, sql in enumerate(spec.triggers):
            self.attach_trigger(sql, ("triggers", index))
        tables = [self.finish(draft) for draft in self.drafts.values()]
        used_schemas = {"public", self.default_schema}
        used_schemas |= {t.schema for t in tables} | {e.schema for e in self.enums.values()}
        schemas = {
            key: SchemaInfo(name=key, comment=value.comment, origin=self.origin(("schemas", key)))
            for key, value in spec.schemas.items()
        }
        for name in used_schemas - schemas.keys():
            schemas[name] = SchemaInfo(name=name)
        return Database(
            schemas=tuple(schemas.values()),
            extensions=tuple(self.extensions),
            enums=tuple(self.enums.values()),
            domains=tuple(domains),
            composite_types=tuple(composites),
            sequences=tuple(self.read_sequences()),
            tables=tuple(tables),
            views=tuple(self.read_view(key, view) for key, view in spec.views.items()),
            functions=tuple(self.read_function(index) for index in range(len(spec.functions))),
            expressions_canonical=False,
        )

    def read_partitions(self, draft: Draft) -> None:
        """``partitions:`` of a partitioned table become tables of their own."""
        for name, bound in draft.spec.partitions.items():
            path = (*draft.path, "partitions", name)
            if not draft.spec.partition_by:
                raise DesignError(f"table {draft.name} lists partitions but has no partition_by", path)
            if (draft.schema, name) in self.drafts:
                raise DesignError(f"partition {name} is also declared as a table", path)
            child = TableSpec.model_validate(
                {
                    "partition_of": {"table": draft.name, "schema": draft.schema, "bound": bound},
                    "primary_key": False,
                }
            )
            self.drafts[(draft.schema, name)] = Draft(draft.schema, name, path, child)

    def read_columns(self, draft: Draft) -> None:
        # A partition without columns of its own receives its parent's (see inherit_columns).
        for column_name, column in draft.spec.columns.items():
            path = (*draft.path, "columns", column_name)
            draft.column_specs[column_name] = column
            draft.columns.append(self.read_column(draft, column_name, column, path))

    def check_partition_parent(self, draft: Draft) -> None:
        of = draft.spec.partition_of
        if of is not None:
            self.find_draft(of.table, (*draft.path, "partition_of", "table"), of.schema_)

    def read_column(self, draft: Draft, name: str, spec: ColumnSpec, path: Path) -> Column:
        type_text, check_values = self.column_type(draft, name, spec, path)
        nullable = bool(spec.nullable)
        if spec.primary_key and spec.nullable:
            raise DesignError(f"column {name}: a primary key column cannot be nullable", (*path, "nullable"))
        if spec.primary_key:
            nullable = False
        default = None if spec.default is None else default_text(spec.default)
        if default is not None and (check_values or self.enum_values(type_text)):
            default = self.enum_default(
                name, default, check_values or self.enum_values(type_text) or (), path
            )
        identity = None
        if spec.identity is not None:
            if type_text not in INTEGER_TYPES and type_text != "":
                raise DesignError(
                    f"column {name}: identity needs smallint, integer or bigint, not {type_text}",
                    (*path, "identity"),
                )
            if default is not None:
                raise DesignError(
                    f"column {name}: identity and default exclude each other", (*path, "identity")
                )
            i = spec.identity
            identity = Identity(i.always, i.start, i.increment, i.min_value, i.max_value, i.cache, i.cycle)
            nullable = False
        generated = None
        if spec.generated is not None:
            if default is not None or identity is not None:
                raise DesignError(
                    f"column {name}: a generated column has no default or identity", (*path, "generated")
                )
            generated = Generated(spec.generated.expression, spec.generated.kind)
        if type_text == "":
            draft.untyped.append((name, path))
        return Column(
            name,
            type_text,
            nullable,
            default,
            identity,
            generated,
            self.collation(spec.collation),
            spec.comment,
            spec.inherited,
            origin=self.origin(path),
        )

    def column_type(
        self, draft: Draft, name: str, spec: ColumnSpec, path: Path
    ) -> tuple[str, tuple[str, ...]]:
        """(canonical type or "" when it comes from the referenced column, CHECK values)."""
        if spec.enum is not None:
            if spec.type is not None:
                raise DesignError(f"column {name}: give either type or enum", (*path, "enum"))
            if isinstance(spec.enum, str):
                found = self.user_type(spec.enum)
                key = next(
                    (
                        k
                        for k, v in self.user_types.items()
                        if v == found and k[1] == spec.enum.split(".")[-1]
                    ),
                    None,
                )
                if key is None or (key not in self.enums and key not in self.enum_check):
                    names = [n for _, n in (*self.enums, *self.enum_check)]
                    raise DesignError(
                        f"unknown enum {spec.enum!r}{closest(spec.enum, names)}", (*path, "enum")
                    )
                return (found or "", self.enum_check.get(key, ()))
            if len(set(spec.enum)) != len(spec.enum) or not spec.enum:
                raise DesignError(
                    f"column {name}: enum values must be distinct and non-empty", (*path, "enum")
                )
            if self.settings.enums == "check":
                return ("text", tuple(spec.enum))
            enum_name = truncate_identifier(f"{draft.name}_{name}")
            key = (draft.schema, enum_name)
            if key in self.enums or key in self.user_types:
                raise DesignError(f"inline enum {enum_name} clashes with a declared type", (*path, "enum"))
            self.enums[key] = EnumType(draft.schema, enum_name, tuple(spec.enum), origin=self.origin(path))
            self.user_types[key] = qualified(*key)
            return (self.user_types[key], ())
        if spec.type is None:
            if spec.references is not None:
                return ("", ())
            if spec.max_length is not None:
                return ("text", ())
            raise DesignError(f"column {name}: no type", path)
        resolved = self.resolve_type(
            spec.type, (*path, "type") if (*path, "type") in self.positions.marks else path
        )
        base = split_qualified(spec.type)
        key = (base[0] or self.default_schema, base[1])
        if key in self.enum_check or (base[0] is None and any(n == base[1] for _, n in self.enum_check)):
            values = self.enum_check.get(key) or next(
                v for (_, n), v in self.enum_check.items() if n == base[1]
            )
            return (resolved, values)
        return (resolved, ())

    def enum_values(self, type_text: str) -> tuple[str, ...] | None:
        for (schema, name), enum in self.enums.items():
            if qualified(schema, name) == type_text:
                return enum.labels
        return None

    def enum_default(self, column: str, default: str, values: Sequence[str], path: Path) -> str:
        literal = re.fullmatch(r"'((?:[^']|'')*)'(?:::[\w.\"]+)?", default)
        if literal is None and not SIMPLE_NAME.fullmatch(default):
            return default  # an expression (a function call, a cast of NULL…): not a label
        label = literal[1].replace("''", "'") if literal else default
        if label not in values:
            raise DesignError(
                f"column {column}: default {label!r} is not one of the enum values {list(values)}"
                f"{closest(label, values)}",
                (*path, "default"),
            )
        return default if literal else quote_literal(label)

    def read_primary_key(self, draft: Draft) -> None:
        spec = draft.spec
        flagged = [name for name, c in draft.column_specs.items() if c.primary_key]
        path = (*draft.path, "primary_key")
        if spec.primary_key and flagged:
            raise DesignError(
                f"table {draft.name}: primary key given both on columns {flagged} and the table", path
            )
        if spec.primary_key:
            pk = spec.primary_key
            self.require_columns(draft, pk.columns, (*path, "columns") if not isinstance(pk, bool) else path)
            self.require_columns(draft, pk.include, (*path, "include"))
            draft.primary_key = PrimaryKey(
                pk.name or self.naming.render("pk", draft.name, pk.columns),
                tuple(pk.columns),
                tuple(pk.include),
                deferral(pk.deferrable, pk.initially_deferred),
                pk.comment,
                origin=self.origin(path),
            )
            draft.columns = [replace(c, nullable=False) if c.name in pk.columns else c for c in draft.columns]
            return
        if flagged:
            draft.primary_key = PrimaryKey(
                self.naming.render("pk", draft.name, flagged),
                tuple(flagged),
                origin=self.origin((*draft.path, "columns", flagged[0])),
            )
            return
        if spec.primary_key is False or spec.partition_of is not None or self.settings.primary_key == "none":
            return
        existing = draft.column("id")
        if existing is None:
            pk_type = self.settings.primary_key_type or "bigint"
            identity = Identity(always=True) if self.settings.primary_key == "bigint" else None
            draft.columns.insert(
                0,
                Column(
                    "id",
                    pk_type,
                    False,
                    self.settings.primary_key_default,
                    identity,
                    origin=self.origin(draft.path),
                ),
            )
        else:
            draft.columns = [replace(c, nullable=False) if c.name == "id" else c for c in draft.columns]
        draft.primary_key = PrimaryKey(
            self.naming.render("pk", draft.name, ["id"]), ("id",), origin=self.origin(draft.path)
        )

    def require_columns(self, draft: Draft, names: Iterable[str], path: Path) -> None:
        for index, name in enumerate(names):
            if draft.column(name) is None:
                # The item itself: under `columns:` of a mapping, or of a short-form list.
                candidates = [(*path, index), (*path[:-1], index) if path[-1:] == ("columns",) else path]
                where = next((c for c in candidates if c in self.positions.marks), path)
                raise DesignError(
                    f"table {draft.name} has no column {name!r}"
                    f"{closest(name, [c.name for c in draft.columns])}",
                    where,
                )

    def reference(
        self, draft: Draft, ref: ReferenceSpec, count: int, path: Path
    ) -> tuple[Draft, tuple[str, ...]]:
        """The referenced table and columns (default: its primary key)."""
        columns = tuple(ref.columns) if ref.columns else None
        if ref.text is not None:
            text = ref.text
            target = self._reference_target(text)
            if target is None:
                table_text, _, column = text.rpartition(".")
                if table_text and self._reference_target(table_text) is not None:
                    target, columns = self._reference_target(table_text), (column,)
            if target is None:
                names = [n for _, n in self.drafts]
                raise DesignError(
                    f"references unknown table {text!r}{closest(text.split('.')[-1], names)}", path
                )
        else:
            target = self.find_draft(ref.table, path, ref.schema_)
        if columns is None:
            if target.primary_key is None:
                raise DesignError(
                    f"references {target.name}, which has no primary key: name the columns", path
                )
            columns = target.primary_key.columns
        if len(columns) != count:
            raise DesignError(f"references {len(columns)} column(s) of {target.name} with {count}", path)
        for column in columns:
            if target.column(column) is None:
                raise DesignError(
                    f"references unknown column {target.name}.{column}"
                    f"{closest(column, [c.name for c in target.columns])}",
                    path,
                )
        return target, columns

    def _reference_target(self, text: str) -> Draft | None:
        if (self.default_schema, text) in self.drafts:
            return self.drafts[(self.default_schema, text)]
        if "." in text:
            schema, _, name = text.partition(".")
            if (schema, name) in self.drafts:
                return self.drafts[(schema, name)]
        matches = [d for (_, n), d in self.drafts.items() if n == text]
        return matches[0] if len(matches) == 1 else None

    def type_references(self) -> None:
        """Columns without a type take the type of the column they reference (repeat until
        chains of such columns are resolved)."""
        pending = [(d, n, p) for d in self.drafts.values() for n, p in d.untyped]
        while pending:
            progressed = False
            for draft, name, path in list(pending):
                ref = draft.column_specs[name].references
                assert ref is not None
                target, columns = self.reference(draft, ref, 1, (*path, "references"))
                referenced = target.column(columns[0])
                assert referenced is not None
                if referenced.type == "":
                    continue
                draft.columns = [
                    replace(c, type=referenced.type) if c.name == name else c for c in draft.columns
                ]
                pending.remove((draft, name, path))
                progressed = True
            if not progressed:
                draft, name, path = pending[0]
                raise DesignError(
                    f"column {name}: its type cannot be taken from the referenced column "
                    "(the references form a loop); give a type",
                    path,
                )

    def read_constraints(self, draft: Draft) -> None:
        spec = draft.spec
        for name, column in draft.column_specs.items():
            self.column_constraints(draft, name, column, (*draft.path, "columns", name))
        for index, fk in enumerate(spec.foreign_keys):
            self.table_foreign_key(draft, fk, (*draft.path, "foreign_keys", index))
        for index, unique in enumerate(spec.unique):
            path = (*draft.path, "unique", index)
            name = unique.name or self.naming.render("unique", draft.name, unique.columns)
            if unique.where is not None:
                if unique.deferrable or unique.initially_deferred:
                    raise DesignError("a partial unique (with where) cannot be deferrable", path)
                keys = tuple(IndexKey(column=c) for c in unique.columns)
                draft.indexes.append(
                    Index(
                        name,
                        keys,
                        True,
                        "btree",
                        tuple(unique.include),
                        unique.where,
                        unique.nulls_not_distinct,
                        comment=unique.comment,
                        origin=self.origin(path),
                    )
                )
            else:
                draft.uniques.append(
                    UniqueConstraint(
                        name,
                        tuple(unique.columns),
                        tuple(unique.include),
                        unique.nulls_not_distinct,
                        deferral(unique.deferrable, unique.initially_deferred),
                        unique.comment,
                        origin=self.origin(path),
                    )
                )
        for key, check in spec.checks.items():
            self.add_check(draft, key, check, (*draft.path, "checks", key))
        for index, exclusion in enumerate(spec.exclude):
            path = (*draft.path, "exclude", index)
            name = exclusion.name or self.naming.render("exclude", draft.name, [], name="").rstrip("_")
            draft.exclusions.append(
                ExclusionConstraint(
                    name,
                    exclusion.definition,
                    deferral(exclusion.deferrable, exclusion.initially_deferred),
                    exclusion.comment,
                    origin=self.origin(path),
                )
            )
        for index, index_spec in enumerate(spec.indexes):
            draft.indexes.append(self.read_index(draft, index_spec, (*draft.path, "indexes", index)))
        for index, trigger in enumerate(spec.triggers):
            self.add_trigger(draft, trigger, (*draft.path, "triggers", index))
        self.foreign_key_indexes(draft)

    def add_check(self, draft: Draft, key: str, check: CheckSpec, path: Path) -> None:
        name = check.name or self.naming.render("check", draft.name, [], name=key)
        draft.checks.append(
            CheckConstraint(
                name,
                check.expression,
                not check.not_valid,
                check.no_inherit,
                check.comment,
                origin=self.origin(path),
            )
        )

    def column_constraints(self, draft: Draft, name: str, spec: ColumnSpec, path: Path) -> None:
        column = draft.column(name)
        assert column is not None
        if spec.unique:
            unique_name = (
                spec.unique
                if isinstance(spec.unique, str)
                else self.naming.render("unique", draft.name, [name])
            )
            draft.uniques.append(
                UniqueConstraint(unique_name, (name,), origin=self.origin((*path, "unique")))
            )
        if spec.index:
            method = spec.index.lower() if isinstance(spec.index, str) else "btree"
            draft.indexes.append(
                Index(
                    self.naming.render("index", draft.name, [name]),
                    (IndexKey(column=name),),
                    method=method,
                    origin=self.origin((*path, "index")),
                )
            )
        if spec.check is not None:
            self.add_check(draft, name, CheckSpec(expression=spec.check), (*path, "check"))
        if spec.max_length is not None:
            expression = f"char_length({quote_ident(name)}) <= {spec.max_length}"
            self.add_check(
                draft, f"{name}_max_length", CheckSpec(expression=expression), (*path, "max_length")
            )
        _, values = self.column_type(draft, name, spec, path) if spec.enum or spec.type else ("", ())
        if values:
            listed = ", ".join(quote_literal(v) for v in values)
            key = name if spec.check is None else f"{name}_values"  # the column's own check keeps the name
            self.add_check(draft, key, CheckSpec(expression=f"{quote_ident(name)} IN ({listed})"), path)
        if spec.references is not None:
            target, columns = self.reference(draft, spec.references, 1, (*path, "references"))
            fk = ForeignKeySpec.model_validate(
                {
                    "columns": [name],
                    "references": {"table": target.name, "schema": target.schema, "columns": list(columns)},
                    "on_delete": spec.on_delete or "NO ACTION",
                    "on_update": spec.on_update or "NO ACTION",
                    "deferrable": spec.deferrable,
                    "initially_deferred": spec.initially_deferred,
                }
            )
            self.table_foreign_key(draft, fk, (*path, "references"))
        elif spec.on_delete or spec.on_update:
            raise DesignError(f"column {name}: on_delete/on_update need references", path)

    def table_foreign_key(self, draft: Draft, spec: ForeignKeySpec, path: Path) -> None:
        self.require_columns(draft, spec.columns, (*path, "columns"))
        target, columns = self.reference(draft, spec.references, len(spec.columns), (*path, "references"))
        for mine, theirs in zip(spec.columns, columns, strict=True):
            own = draft.column(mine)
            other = target.column(theirs)
            assert own is not None and other is not None
            if own.type != other.type and self.settings.strict:
                raise DesignError(
                    f"foreign key column {draft.name}.{mine} is {own.type} but {target.name}.{theirs} is "
                    f"{other.type}: give them the same type (or leave the type out to inherit it)",
                    path,
                )
        fk = ForeignKey(
            spec.name or self.naming.render("fk", draft.name, spec.columns),
            tuple(spec.columns),
            target.schema,
            target.name,
            tuple(columns),
            spec.on_delete,
            spec.on_update,
            spec.match,
            deferral(spec.deferrable, spec.initially_deferred),
            not spec.not_valid,
            tuple(spec.on_delete_columns),
            spec.comment,
            origin=self.origin(path),
        )
        draft.foreign_keys.append((fk, path, spec.index))

    def foreign_key_indexes(self, draft: Draft) -> None:
        """Every foreign key gets an index led by its columns unless one already exists."""
        if not self.settings.index_foreign_keys:
            return
        for fk, path, wanted in draft.foreign_keys:
            if not wanted or self.has_leading_index(draft, fk.columns):
                continue
            keys = tuple(IndexKey(column=c) for c in fk.columns)
            draft.indexes.append(
                Index(self.naming.render("index", draft.name, fk.columns), keys, origin=self.origin(path))
            )

    def has_leading_index(self, draft: Draft, columns: tuple[str, ...]) -> bool:
        n = len(columns)
        candidates = [index.columns[:n] for index in draft.indexes if index.predicate is None]
        candidates += [u.columns[:n] for u in draft.uniques]
        if draft.primary_key is not None:
            candidates.append(draft.primary_key.columns[:n])
        return any(tuple(c) == columns for c in candidates)

    def finish(self, draft: Draft) -> Table:
        spec = draft.spec
        rls = spec.rls
        rls_enabled = rls.enabled if rls is not None else bool(spec.policies)
        policies = tuple(
            Policy(
                name,
                p.command,
                p.permissive,
                tuple(p.roles),
                p.using,
                p.with_check,
                p.comment,
                origin=self.origin((*draft.path, "policies", name)),
            )
            for name, p in spec.policies.items()
        )
        partition_of = None
        if spec.partition_of is not None:
            parent = self.find_draft(
                spec.partition_of.table, (*draft.path, "partition_of", "table"), spec.partition_of.schema_
            )
            if not parent.spec.partition_by:
                raise DesignError(
                    f"table {parent.name} is not partitioned (no partition_by)", (*draft.path, "partition_of")
                )
            partition_of = PartitionOf(parent.schema, parent.name, spec.partition_of.bound)
        inherits = tuple(
            self.find_draft(t, (*draft.path, "inherits", n)).key for n, t in enumerate(spec.inherits)
        )
        return Table(
            draft.schema,
            draft.name,
            tuple(draft.columns),
            draft.primary_key,
            tuple(fk for fk, _, _ in draft.foreign_keys),
            tuple(draft.uniques),
            tuple(draft.checks),
            tuple(draft.exclusions),
            tuple(draft.indexes),
            tuple(draft.triggers),
            policies,
            rls_enabled,
            bool(rls and rls.forced),
            spec.unlogged,
            spec.partition_by,
            partition_of,
            inherits,
            tuple(spec.options),
            spec.comment,
            origin=self.origin(draft.path),
        )


def inherit_columns(tables: Sequence[Table]) -> list[Table]:
    """Partitions declared without columns get their parent's, marked inherited (as the
    catalogs list them). Run after the patterns, which add columns to the parents."""
    by_key = {table.key: table for table in tables}

    def columns_of(table: Table) -> tuple[Column, ...]:
        of = table.partition_of
        parent = by_key.get((of.schema, of.table)) if of is not None else None
        if table.columns or parent is None:
            return table.columns
        return tuple(replace(c, inherited=True, origin=table.origin) for c in columns_of(parent))

    return [replace(table, columns=columns_of(table)) for table in tables]
