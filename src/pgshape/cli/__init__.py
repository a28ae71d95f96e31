"""The command line: thin; parses arguments, picks a source and a renderer, prints, exits."""
