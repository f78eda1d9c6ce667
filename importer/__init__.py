"""The import pipeline: workbook bytes in, cell records (formula, Excel's value, our value) out.

Framework-free: nothing here imports Flask, click or procrastinate (except ``cli.py``, the one
glue module, which nothing else in this package imports).
"""
