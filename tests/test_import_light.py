"""`import marginlib` stays light: the maths must not drag in plotting or widgets."""
import subprocess
import sys


def test_import_marginlib_loads_no_plotting_or_widgets():
    code = (
        "import sys, marginlib\n"
        "print(' '.join(m for m in ('matplotlib', 'ipywidgets', 'ipympl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    heavy = out.stdout.split()
    assert heavy == [], f"'import marginlib' imported {heavy}; keep them out of the maths import"
