"""Migrations: compare two models into operations, plan them, render them.

``diff.diff(before, after)`` → operations (``ops``); ``plan.plan(...)`` orders them and
applies online-safe rewrites; ``render_sql.render(...)`` writes the up and down scripts;
``safety`` refuses destructive plans; ``rename`` turns hints into rename operations. Nothing here
does I/O: proving a plan on a scratch database lives in ``pgshape.pg.prove_migration``.
"""
