"""Renderers: each reads only the IR (``pgshape.model``) and returns text.

``sql`` renders DDL that builds a model on an empty database; ``identifiers`` holds the quoting
rules every SQL-emitting module shares; ``ir_json`` and ``summary`` serve ``dump`` and
``inspect``.
"""
