# Sourced by scripts/test and scripts/open-course, from the repository root.
# ensure_venv REQUIREMENTS_FILE: create .venv if missing, then pip install the file into it,
# skipped when neither the file, requirements.txt nor pyproject.toml changed since the last install.
ensure_venv() {
  local requirements="$1" stamp want
  if [ ! -x .venv/bin/python ]; then
    echo "creating .venv" >&2
    if ! python3 -m venv .venv; then
      # Debian/Ubuntu ship venv's pip bootstrap separately (python3-venv).
      rm -rf .venv
      if command -v apt-get >/dev/null && { [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then
        local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo -n"
        echo "installing Debian's python3-venv" >&2
        $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
        python3 -m venv .venv
      else
        echo "python3 -m venv failed: install your system's venv package (Debian/Ubuntu: sudo apt-get install python3-venv) and run this again" >&2
        return 1
      fi
    fi
  fi
  stamp=".venv/.installed-$(basename "$requirements").sha256"
  want="$(cat "$requirements" requirements.txt pyproject.toml \
    | python3 -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "installing $requirements into .venv" >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$want" > "$stamp"
  fi
}
