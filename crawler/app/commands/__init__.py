"""One module per command of ``rassegna``: each adds its parser and runs it."""
