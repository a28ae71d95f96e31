"""Which tables an ERD shows, and how they are grouped — the large-schema controls of ``pgshape erd``.

Rules (documented in docs/erd.md, "Choosing tables"):

- a glob with a ``.`` is matched against ``schema.table``, one without against the bare table
  name (``fnmatch`` syntax, case-sensitive like PostgreSQL identifiers);
- ``--focus TABLE --depth N`` keeps the tables at most N foreign keys away from TABLE, following
  foreign keys in both directions (a table that references TABLE is as near as one TABLE
  references); the neighbourhood is computed over the whole model, then the other filters apply;
- ``--tables`` keeps the tables matching any glob (all when none is given), ``--exclude`` drops
  those matching any glob, ``--schema`` keeps the named schemas;
- groups: by schema, or by named globs (``[tool.pgshape.erd.groups]`` or ``--group NAME=GLOB``);
  a table joins the first group (in the order given) with a matching glob; unmatched tables stay
  outside every group.
"""

from __future__ import annotations

import difflib
import fnmatch
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pgshape.errors import InputError
from pgshape.model import Database
from pgshape.render.erd_common import TableKey

Groups = dict[str, tuple[TableKey, ...]]


@dataclass(frozen=True)
class Selection:
    tables: tuple[str, ...] = ()  # include globs; empty: every table
    exclude: tuple[str, ...] = ()
    schemas: tuple[str, ...] = ()  # empty: every schema
    focus: str | None = None
    depth: int = 1

    @property
    def is_everything(self) -> bool:
        return not (self.tables or self.exclude or self.schemas or self.focus)


def matches(glob: str, key: TableKey) -> bool:
    """``schema.table`` globs match qualified names, bare globs match table names."""
    schema, name = key
    if "." in glob:
        return fnmatch.fnmatchcase(f"{schema}.{name}", glob)
    return fnmatch.fnmatchcase(name, glob)


def resolve_table(database: Database, name: str) -> TableKey:
    """The table ``name`` (``schema.table``, or a bare name unique across schemas) refers to.

    An unknown or ambiguous name raises one line naming the closest existing tables."""
    keys = [t.key for t in database.tables]
    qualified = {f"{s}.{n}": (s, n) for s, n in keys}
    if name in qualified:
        return qualified[name]
    bare = [k for k in keys if k[1] == name]
    if len(bare) == 1:
        return bare[0]
    if len(bare) > 1:
        options = ", ".join(f"{s}.{n}" for s, n in sorted(bare))
        raise InputError(f"table {name!r} is ambiguous: qualify it with its schema ({options})")
    # Match against bare and qualified names, name the tables qualified (each once).
    spellings = {**{n: f"{s}.{n}" for s, n in keys}, **{q: q for q in qualified}}
    close = difflib.get_close_matches(name, sorted(spellings), n=6, cutoff=0.5)
    names = list(dict.fromkeys(spellings[c] for c in close))[:3]
    hint = f"; closest: {', '.join(names)}" if names else ""
    raise InputError(f"no table {name!r} in the schema{hint}")


def fk_graph(database: Database) -> dict[TableKey, set[TableKey]]:
    """Undirected adjacency of tables through foreign keys (self-references left out)."""
    keys = {t.key for t in database.tables}
    graph: dict[TableKey, set[TableKey]] = {key: set() for key in keys}
    for table in database.tables:
        for fk in table.foreign_keys:
            if fk.referenced in keys and fk.referenced != table.key:
                graph[table.key].add(fk.referenced)
                graph[fk.referenced].add(table.key)
    return graph


def neighbourhood(database: Database, start: TableKey, depth: int) -> frozenset[TableKey]:
    """Tables at most ``depth`` foreign keys away from ``start`` (breadth-first, both directions)."""
    if depth < 0:
        raise InputError(f"--depth must be 0 or more, not {depth}")
    graph = fk_graph(database)
    distance = {start: 0}
    queue = deque([start])
    while queue:
        key = queue.popleft()
        if distance[key] == depth:
            continue
        for other in sorted(graph[key]):
            if other not in distance:
                distance[other] = distance[key] + 1
                queue.append(other)
    return frozenset(distance)


def select_tables(database: Database, selection: Selection) -> frozenset[TableKey]:
    """The (schema, name) keys the selection keeps."""
    keys: Iterable[TableKey] = [t.key for t in database.tables]
    if selection.focus is not None:
        keys = neighbourhood(database, resolve_table(database, selection.focus), selection.depth)
    chosen = set()
    for key in keys:
        if selection.schemas and key[0] not in selection.schemas:
            continue
        if selection.tables and not any(matches(g, key) for g in selection.tables):
            continue
        if any(matches(g, key) for g in selection.exclude):
            continue
        chosen.add(key)
    return frozenset(chosen)


def group_by_schema(keys: Iterable[TableKey]) -> Groups:
    groups: dict[str, list[TableKey]] = {}
    for key in sorted(keys):
        groups.setdefault(key[0], []).append(key)
    return {name: tuple(members) for name, members in groups.items()}


def group_by_globs(keys: Iterable[TableKey], globs: Sequence[tuple[str, Sequence[str]]]) -> Groups:
    """``globs``: ``(group name, globs)`` in priority order; empty groups are left out."""
    groups: dict[str, list[TableKey]] = {name: [] for name, _ in globs}
    for key in sorted(keys):
        for name, patterns in globs:
            if any(matches(g, key) for g in patterns):
                groups[name].append(key)
                break
    return {name: tuple(members) for name, members in groups.items() if members}


def parse_group_options(values: Sequence[str]) -> list[tuple[str, list[str]]]:
    """``NAME=GLOB[,GLOB…]`` options (repeatable; the same NAME twice adds globs)."""
    groups: dict[str, list[str]] = {}
    for value in values:
        name, sep, globs = value.partition("=")
        if not sep or not name.strip() or not globs.strip():
            raise InputError(f"--group expects NAME=GLOB[,GLOB…], not {value!r}")
        groups.setdefault(name.strip(), []).extend(g.strip() for g in globs.split(",") if g.strip())
    return list(groups.items())


def parse_group_config(table: Mapping[str, object], location: str) -> list[tuple[str, list[str]]]:
    """``[tool.pgshape.erd.groups]``: ``name = "glob"`` or ``name = ["glob", …]``."""
    groups: list[tuple[str, list[str]]] = []
    for name, value in table.items():
        if isinstance(value, str):
            groups.append((name, [value]))
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            groups.append((name, list(value)))
        else:
            raise InputError(
                f"[tool.pgshape.erd.groups] {name} must be a glob or a list of globs", location=location
            )
    return groups
