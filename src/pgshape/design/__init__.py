"""The design file: a short YAML/TOML description of a schema that expands into the IR.

- ``settings``: project-wide defaults and the naming convention (shared with the pattern library);
- ``spec``: the pydantic models of the file (and its JSON Schema);
- ``positions``: the YAML/TOML reader that keeps line numbers; ``validate``: pydantic errors as
  one located line; ``errors``: :class:`DesignError` and "did you mean" suggestions;
- ``types``: type aliases → PostgreSQL's canonical spelling;
- ``expand`` (with ``expand_base``, ``expand_types``, ``expand_indexes``, ``expand_routines``):
  the pure spec → IR expansion; ``sqltext``: facts read from the raw SQL escape hatches;
- ``checks``: semantic checks after the patterns ran;
- ``patterns``, ``examples``: the pattern library and the bundled example designs.
"""
