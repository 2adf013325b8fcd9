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


def test_lazy_names_come_from_their_modules_and_all_is_unique():
    import importlib

    import marginlib

    for name, module in marginlib._LAZY_NAMES.items():
        mod = importlib.import_module(f"marginlib.{module}")
        assert name in mod.__all__, (name, module)
        assert getattr(marginlib, name) is getattr(mod, name)
    assert len(marginlib.__all__) == len(set(marginlib.__all__))
    for sub in marginlib.SUBPACKAGES:
        assert getattr(marginlib, sub) is importlib.import_module(f"marginlib.{sub}")
    assert set(marginlib.__all__) | set(marginlib.SUBPACKAGES) == set(dir(marginlib))


def test_lazy_modules_load_on_first_use_only():
    code = (
        "import sys, marginlib as ml\n"
        "before = 'marginlib.account' in sys.modules\n"
        "ml.Account\n"
        "print(before, 'marginlib.account' in sys.modules,\n"
        "      'marginlib.sim.montecarlo' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True", "False"]


def test_star_import_gives_every_public_name():
    namespace = {}
    exec("from marginlib import *", namespace)
    import marginlib

    missing = [n for n in marginlib.__all__ if n not in namespace]
    assert missing == []
    assert "Account" in namespace and "liquidation_price" in namespace


def test_course_checks_and_scenarios_load_no_plotting_or_widgets():
    """The checkers (every notebook's exercises too) and the course scenarios import without
    matplotlib/ipywidgets."""
    code = ("import importlib, pkgutil, sys\n"
            "import marginlib.course.checks, marginlib.course.contagion, "
            "marginlib.course.defaults, marginlib.course.scenarios\n"
            "import marginlib.course.exercises as ex\n"
            "names = [m.name for m in pkgutil.iter_modules(ex.__path__)]\n"
            "assert len(names) >= 8, names\n"
            "for name in names:\n"
            "    importlib.import_module('marginlib.course.exercises.' + name)\n"
            "print(' '.join(m for m in ('matplotlib', 'ipywidgets', 'ipympl', 'IPython') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    heavy = out.stdout.split()
    assert heavy == [], f"marginlib.course imported {heavy}; keep it free of plotting and widgets"
