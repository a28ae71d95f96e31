"""Sources: each module loads one kind of input (a URL, a SQL file, a module, a dump) into the IR."""
