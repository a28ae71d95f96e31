"""Reading Mermaid ``erDiagram`` text into plain statements (no schema decisions here).

Follows the grammar of mermaid 12's erDiagram: entity blocks (``id``, ``id["alias"]``,
``:::class``, attributes ``type name [PK, FK, UK] ["comment"]``, backtick-quoted words),
relationships (``A ||--o{ B : label`` and the word forms ``one or more``, ``only one``, …) and
the statements that do not matter for a schema (``direction``, ``title``, ``accTitle``,
``accDescr``, ``classDef``, ``class``, ``style``, ``subgraph``/``end``, ``%%`` comments), which
are skipped. Errors name the line and column.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Literal

from pgshape.errors import InputError

Cardinality = Literal["exactly_one", "zero_or_one", "zero_or_many", "one_or_many"]

_ENTITY_CODE = re.compile(r"#(\d+|quot);")


def decode(text: str) -> str:
    """Undo the ``#code;`` entities the Mermaid renderer writes for unsafe characters."""
    return _ENTITY_CODE.sub(lambda m: '"' if m[1] == "quot" else chr(int(m[1])), text)


@dataclass
class Attribute:
    type: str
    name: str
    keys: tuple[str, ...]
    comment: str | None
    optional_type: bool  # written ``type?``
    line: int
    column: int


@dataclass
class Entity:
    id: str
    alias: str | None
    line: int
    attributes: list[Attribute] = field(default_factory=list)
    comment: str | None = None  # from a ``%% comment:`` line just above the entity

    @property
    def display(self) -> str:
        return self.alias if self.alias is not None else self.id


@dataclass
class Relation:
    left: str
    right: str
    left_card: Cardinality
    right_card: Cardinality
    identifying: bool
    label: str
    line: int


@dataclass
class Diagram:
    entities: dict[str, Entity] = field(default_factory=dict)  # by id, in order of appearance
    relations: list[Relation] = field(default_factory=list)


_CARDS: dict[str, Cardinality] = {}
for _words, _card in (
    (("|o", "o|", "one or zero", "zero or one"), "zero_or_one"),
    (("}o", "o{", "zero or more", "zero or many", "0+", "many(0)", "many"), "zero_or_many"),
    (("}|", "|{", "one or more", "one or many", "1+", "many(1)"), "one_or_many"),
    (("||", "one", "only one", "1"), "exactly_one"),
):
    for _word in _words:
        _CARDS[_word] = _card  # type: ignore[assignment]

_CARD = "|".join(re.escape(w) for w in sorted(_CARDS, key=len, reverse=True))
_ENT = r'"[^"%\r\n\v\b\\]+"|(?:[^\x00-\x7F]|[\w*])(?:[^\x00-\x7F]|[\w*-])*?'
_ENT_GREEDY = r'"[^"%\r\n\v\b\\]+"|(?:[^\x00-\x7F]|[\w*-])+'
_CLASSES = r"(?:\s*:::\s*[\w\-,]+)?"
_RELATION = re.compile(
    rf"(?P<a>{_ENT}){_CLASSES}\s*(?P<ca>{_CARD})\s*(?P<rel>--|\.\.|\.-|-\.|optionally to|to)\s*"
    rf"(?P<cb>{_CARD})\s*(?P<b>{_ENT}){_CLASSES}\s*:\s*(?P<role>.*?)\s*;?",
    re.IGNORECASE,
)
_UNLABELLED = re.compile(
    rf"(?:{_ENT}){_CLASSES}\s*(?:{_CARD})\s*(?:--|\.\.|\.-|-\.|optionally to|to)\s*"
    rf"(?:{_CARD})\s*(?:{_ENT}){_CLASSES}\s*",
    re.IGNORECASE,
)
_ENTITY = re.compile(
    rf"(?P<id>{_ENT_GREEDY})\s*(?:\[\s*(?P<alias>{_ENT_GREEDY})\s*\])?{_CLASSES}\s*(?P<open>\{{)?(?P<rest>.*)",
    re.DOTALL,
)
_IGNORED = re.compile(
    r"(direction\s|title\s|acctitle\s*:|accdescr\s*:|classdef\s|class\s|style\s|subgraph\b|end\s*$)",
    re.IGNORECASE,
)

# Block tokens, in the order Mermaid's lexer tries them.
_BLOCK_TOKENS = re.compile(
    r"(?P<space>\s+|%%[^\n]*)"  # Mermaid drops %% comment lines before parsing
    r"|(?P<key>(?:PK|FK|UK)(?![A-Za-z0-9_]))"
    r"|(?P<generic>[^\s~]*~[^\n]*~[^\s]*)"
    r"|(?P<word>[*A-Za-z_\u00c0-\uffff][A-Za-z0-9\-_\[\]().,\u00c0-\uffff*]*)"
    r"|`(?P<quoted>[^`]+)`"
    r'|"(?P<comment>[^"]*)"'
    r"|(?P<stop>\})"
    r"|(?P<punct>[,?])",
    re.IGNORECASE,
)


def _unquote(text: str) -> str:
    if text.startswith('"') and text.endswith('"'):
        return text[1:-1]
    return text


class _Parser:
    def __init__(self, text: str, path: str, first_line: int) -> None:
        self.text = text
        self.path = path
        self.first_line = first_line  # 1-based line of text[0] in the file
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.diagram = Diagram()

    def where(self, offset: int) -> str:
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return f"{self.path}:{self.first_line + index}:{offset - self.line_starts[index] + 1}"

    def fail(self, message: str, offset: int) -> InputError:
        return InputError(message, location=self.where(offset))

    def line_no(self, offset: int) -> int:
        return self.first_line + bisect.bisect_right(self.line_starts, offset) - 1

    def parse(self) -> Diagram:
        offset = 0
        seen_header = False
        pending_comment: str | None = None
        in_descr = False
        while offset < len(self.text):
            end = self.text.find("\n", offset)
            end = len(self.text) if end < 0 else end
            raw = self.text[offset:end]
            stripped = raw.strip()
            start = offset + (len(raw) - len(raw.lstrip()))
            offset = end + 1
            if in_descr:
                in_descr = "}" not in stripped
                continue
            if not stripped:
                continue
            if stripped.startswith("%%"):
                if stripped.startswith("%% comment:"):
                    pending_comment = decode(stripped[len("%% comment:") :].strip())
                continue
            if not seen_header:
                if stripped.split()[0] != "erDiagram":
                    raise self.fail("expected 'erDiagram' (a Mermaid ER diagram)", start)
                seen_header = True
                stripped = stripped[len("erDiagram") :].strip()
                if not stripped:
                    continue
            if re.match(r"accdescr\s*\{", stripped, re.IGNORECASE):
                in_descr = "}" not in stripped
                continue
            if _IGNORED.match(stripped):
                pending_comment = None
                continue
            relation = _RELATION.fullmatch(stripped)
            if relation is not None:
                self.add_relation(relation, start)
                pending_comment = None
                continue
            if _UNLABELLED.fullmatch(stripped):
                raise self.fail(
                    "a relationship needs a label: add ': \"label\"' (Mermaid requires one)", start
                )
            entity = _ENTITY.fullmatch(stripped)
            if entity is None:
                raise self.fail(f"cannot read this line as an entity or a relationship: {stripped!r}", start)
            record = self.add_entity(entity, start)
            if pending_comment is not None:
                record.comment = pending_comment
                pending_comment = None
            if entity["open"]:
                offset = self.read_block(record, start + entity.start("rest"))
            elif entity["rest"].strip():
                where = start + entity.start("rest")
                raise self.fail(f"unexpected text after the entity name: {entity['rest'].strip()!r}", where)
        if not seen_header:
            raise InputError("no erDiagram found", location=self.path)
        return self.diagram

    def add_entity(self, match: re.Match[str], start: int) -> Entity:
        # Names stay encoded here: a ``#46;`` (a dot inside a name) is decoded after the
        # schema/name split.
        entity_id = _unquote(match["id"])
        alias = _unquote(match["alias"]) if match["alias"] else None
        existing = self.diagram.entities.get(entity_id)
        if existing is None:
            existing = Entity(entity_id, alias, self.line_no(start))
            self.diagram.entities[entity_id] = existing
        elif alias is not None:
            existing.alias = alias
        return existing

    def add_relation(self, match: re.Match[str], start: int) -> None:
        left = _unquote(match["a"])
        right = _unquote(match["b"])
        line = self.line_no(start)
        for name in (left, right):
            self.diagram.entities.setdefault(name, Entity(name, None, line))
        rel = match["rel"].lower()
        self.diagram.relations.append(
            Relation(
                left=left,
                right=right,
                left_card=_CARDS[match["ca"].lower()],
                right_card=_CARDS[match["cb"].lower()],
                identifying=rel in {"--", "to", "optionally to"},
                label=decode(_unquote(match["role"])),
                line=line,
            )
        )

    def read_block(self, entity: Entity, offset: int) -> int:
        """Read attributes from ``offset`` up to the closing brace; the offset after its line."""
        tokens: list[tuple[str, str, int]] = []
        position = offset
        while True:
            if position >= len(self.text):
                raise self.fail(f"entity {entity.id!r}: missing '}}'", offset)
            match = _BLOCK_TOKENS.match(self.text, position)
            if match is None:
                raise self.fail(f"unexpected {self.text[position]!r} in the attributes", position)
            kind = match.lastgroup or ""
            position = match.end()
            if kind == "space":
                continue
            if kind == "stop":
                break
            value = match[kind] if kind != "generic" else match[0]
            if kind == "quoted":
                kind, value = "word", decode(value)
            if kind == "generic":
                kind = "word"
            tokens.append((kind, value, match.start()))
        rest_end = self.text.find("\n", position)
        rest_end = len(self.text) if rest_end < 0 else rest_end
        if self.text[position:rest_end].strip():
            raise self.fail("unexpected text after '}'", position)
        self.read_attributes(entity, tokens)
        return rest_end + 1

    def read_attributes(self, entity: Entity, tokens: list[tuple[str, str, int]]) -> None:
        index = 0
        while index < len(tokens):
            kind, type_text, where = tokens[index]
            if kind != "word":
                raise self.fail(f"expected an attribute type, found {type_text!r}", where)
            index += 1
            optional = False
            if index < len(tokens) and tokens[index][:2] == ("punct", "?"):
                optional, index = True, index + 1
            if index >= len(tokens) or tokens[index][0] != "word":
                found = tokens[index][1] if index < len(tokens) else "'}'"
                hint = (
                    " (Mermaid reads PK/FK/UK as key markers: write the name in backticks)"
                    if index < len(tokens) and tokens[index][0] == "key"
                    else ""
                )
                raise self.fail(
                    f"expected an attribute name after type {type_text!r}, found {found}{hint}", where
                )
            name = tokens[index][1]
            index += 1
            keys: list[str] = []
            while index < len(tokens) and tokens[index][0] == "key":
                keys.append(tokens[index][1].upper())
                index += 1
                if index < len(tokens) and tokens[index][:2] == ("punct", ","):
                    index += 1
                    if index >= len(tokens) or tokens[index][0] != "key":
                        raise self.fail("expected PK, FK or UK after ','", tokens[index - 1][2])
            comment = None
            if index < len(tokens) and tokens[index][0] == "comment":
                comment = tokens[index][1]
                index += 1
            line, column = self._line_col(where)
            entity.attributes.append(Attribute(type_text, name, tuple(keys), comment, optional, line, column))

    def _line_col(self, offset: int) -> tuple[int, int]:
        _, line, column = self.where(offset).rsplit(":", 2)
        return int(line), int(column)


def parse(text: str, path: str, first_line: int = 1) -> Diagram:
    """Parse the text of one diagram; ``first_line`` is where it starts in ``path``."""
    return _Parser(text, path, first_line).parse()


_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)\s*mermaid\s*$", re.MULTILINE)


def extract_markdown(text: str, path: str) -> tuple[str, int]:
    """The first ```mermaid block holding an erDiagram, and the file line where it starts."""
    for match in _FENCE.finditer(text):
        body_start = match.end() + 1
        closing = re.compile(rf"^[ \t]*{re.escape(match['fence'])}\s*$", re.MULTILINE)
        end = closing.search(text, body_start)
        body = text[body_start : end.start() if end else len(text)]
        first = next(
            (ln.strip() for ln in body.splitlines() if ln.strip() and not ln.strip().startswith("%%")), ""
        )
        if first.startswith("erDiagram"):
            return body, text.count("\n", 0, body_start) + 1
    raise InputError("no ```mermaid block with an erDiagram in this Markdown file", location=path)


def strip_front_matter(text: str) -> tuple[str, int]:
    """Mermaid's optional ``---`` YAML front matter (title, config) is skipped."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                return "\n".join(lines[index + 1 :]), index + 1
    return text, 0
