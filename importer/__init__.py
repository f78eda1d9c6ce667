"""The import pipeline: workbook bytes in, cell records (formula, Excel's value, our value) out.

Framework-free: nothing here imports Flask, click, procrastinate or the glue packages (``cli``,
``web``, ``worker``); tests/test_layers.py checks it.
"""
