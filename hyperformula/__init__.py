"""HyperFormula, the formula engine, run by Node.js (engine.js) and driven from Python (bridge.py).

HyperFormula is GPL-3.0 licensed (licenseKey 'gpl-v3'); see the README.
"""
