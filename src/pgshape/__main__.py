from pgshape.cli.main import run

run()
