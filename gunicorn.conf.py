"""gunicorn settings for the Procfile's web line: gunicorn -c gunicorn.conf.py 'web:create_app()'.

Command-line flags and GUNICORN_CMD_ARGS still override any of these.

PORT                         port to listen on (8000)
WEB_CONCURRENCY              worker processes (2); each opens its own connection pool
CAPITALLENS_ACCESS_LOG       access log file, "-" for stdout (the default), empty for none;
                             keys are redacted
CAPITALLENS_LOG_FORMAT       text (the default) or json, for every line (worker/logs.py)
CAPITALLENS_LOG_LEVEL        DEBUG, INFO (the default), WARNING, ERROR or CRITICAL
CAPITALLENS_TRUSTED_PROXIES  reverse proxies (addresses or networks) whose X-Forwarded-For and
                             X-Forwarded-Proto are believed; none by default (web/proxies.py)
"""

import os
import sys

from importer.settings import InvalidSetting
from web import gunicorn_setup, proxies
from worker import logs

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = 4

logger_class = gunicorn_setup.GunicornLogger

# One format for gunicorn's error log, its access log and the app's lines (worker/logs.py):
# CAPITALLENS_LOG_FORMAT (text|json) and CAPITALLENS_LOG_LEVEL, checked here (one line, exit 2).
try:
    logs.check()
except InvalidSetting as exc:
    print(f"Error: {exc.message}", file=sys.stderr)
    raise SystemExit(2) from None
# The access log's handler is in logconfig_dict, so gunicorn adds none of its own.
logconfig_dict = logs.gunicorn_config(os.environ.get("CAPITALLENS_ACCESS_LOG", "-") or None)
accesslog = None

# gunicorn believes X-Forwarded-Proto only from these; the app reads X-Forwarded-For itself.
forwarded_allow_ips = ",".join(str(n) for n in proxies.parse_networks(os.environ.get(proxies.SETTING, "")))

# gunicorn's own answers to requests it cannot parse (400, 414, 431) in the JSON error shape.
gunicorn_setup.install_gunicorn_errors()
