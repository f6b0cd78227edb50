#!/usr/bin/env bash
# Installs what the test suite needs from the system, when it is missing:
# Chromium and CJK fonts (browser tests), gettext (translation catalogue check) and
# Dovecot's IMAP server (the opinion mailbox test starts its own) and systemd-analyze
# (the deploy/systemd units are checked with `systemd-analyze verify`), LibreOffice Writer and
# poppler-utils (the bulletin .docx is rendered to PDF and its pages read).
set -euo pipefail
bin=${1:-.venv/bin}
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
command -v msgattrib >/dev/null 2>&1 || missing+=(gettext)
[ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  exit 0
fi
if [[ " ${missing[*]} " == *" chromium "* ]]; then
  if "$bin/playwright" install chromium; then
    echo "Using Playwright's Chromium."
  else
    echo "No Chromium for the browser tests: install Debian's 'chromium' (and 'fonts-noto-cjk'), or make 'playwright install chromium' work." >&2
    exit 1
  fi
fi
if [[ " ${missing[*]} " == *" dovecot-imapd "* ]]; then
  echo "Dovecot is missing: install it (e.g. 'apt-get install dovecot-imapd') for the mailbox test." >&2
  exit 1
fi
if [[ " ${missing[*]} " == *" systemd "* ]]; then
  echo "systemd-analyze is missing: install it (e.g. 'apt-get install systemd') to check deploy/systemd." >&2
  exit 1
fi
if [[ " ${missing[*]} " == *" libreoffice-writer-nogui "* || " ${missing[*]} " == *" poppler-utils "* ]]; then
  echo "LibreOffice Writer or poppler-utils is missing: install 'libreoffice-writer-nogui' and 'poppler-utils' for the bulletin page test (it is skipped without them)." >&2
fi
if [[ " ${missing[*]} " == *" gettext "* ]]; then
  echo "gettext is missing: install it (e.g. 'apt-get install gettext') for the translation check." >&2
  exit 1
fi
