"""The design file: a short YAML/TOML description of a schema that expands into the IR.

``settings`` holds the project-wide defaults (shared with the pattern library), ``spec`` the
pydantic models of the file, ``positions`` the YAML/TOML reader that keeps line numbers,
``expand`` the pure spec → IR expansion and ``checks`` the semantic validation.
"""
