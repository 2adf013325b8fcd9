# Sourced by scripts/test and scripts/open-course, from the repository root.
# ensure_venv REQUIREMENTS_FILE: create .venv if missing, then pip install the file into it,
# skipped when neither the file, requirements.txt nor pyproject.toml changed since the last install.
ensure_venv() {
  local requirements="$1" stamp want
  if [ ! -x .venv/bin/python ]; then
    echo "creating .venv" >&2
    python3 -m venv .venv
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
