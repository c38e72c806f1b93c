"""House rules the machine checks (docs/architecture.md, "The rules of the house"), in the
manner of Zulip's lint rules: each rule is a small checker over a module's source, run on
every module of `fangkong/` (migrations excluded), and tested on a planted violation so
that a checker that cannot fail is caught too.

1. The clock is injectable: `timezone.now()`, `date.today()`, `datetime.now()` are asked
   in `fangkong/core/clock.py` only; everything else asks `core.clock.now()/today()`.
2. Writes go through actions: a view, API or pages module (`views.py`, `api.py`,
   `pages.py`, `views_*.py`, `*_views.py`) calls no `.save()`, `.create()`, `.delete()`,
   queryset `.update()` (nor their bulk and get-or-create forms); it parses input and
   calls the app's actions (an `actions.py` module or an `actions/` package of modules
   named by the domain), which validate, write in one transaction and audit.
3. A `# type: ignore` names the error it silences (`# type: ignore[attr-defined]`), so a
   new error of another kind on the same line is not hidden.
4. Translations live in the `.po` catalogues only: no Python file (a second table of
   strings) under any `locale/` directory.
5. An `actions/` package (an app's writes split by the words of the domain) holds no code
   in its `__init__.py`: callers import the module that owns the verb, never a re-export.
"""

import ast
import re
import tokenize
from io import StringIO
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "fangkong"


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# --- 1. the clock -----------------------------------------------------------------------

CLOCK_MODULE = "fangkong/core/clock.py"
SYSTEM_TIME = re.compile(r"(^|\.)(timezone\.now|datetime\.now|date\.today)$")


def system_time_calls(source: str) -> list[int]:
    """Lines that ask the system for the time instead of `core.clock`."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and SYSTEM_TIME.search(ast.unparse(node.func))
    ]


def test_the_clock_checker_finds_a_planted_call():
    source = (
        "import datetime as dt\nfrom django.utils import timezone\n"
        "a = timezone.now()\nb = dt.date.today()\nc = dt.datetime.now(tz=None)\n"
        "d = clock.now()\ne = clock.today()  # timezone.now() in a comment is fine\n"
    )
    assert system_time_calls(source) == [3, 4, 5]


def test_only_core_clock_reads_the_system_time():
    offenders = [
        f"{rel(p)}:{line}"
        for p in modules()
        if rel(p) != CLOCK_MODULE
        for line in system_time_calls(p.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"ask core.clock.now()/today() instead: {offenders}"


# --- 2. writes go through actions ---------------------------------------------------------

WRITES = {
    "save",
    "create",
    "delete",
    "update",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
QUERYSET = re.compile(r"\.objects\b|\.(filter|exclude|all|restrict|select_for_update)\(")


def is_door_module(path: Path) -> bool:
    name = path.name
    return name in {"views.py", "api.py", "pages.py"} or (
        name.startswith("views_") or name.endswith("_views.py")
    )


def model_writes(source: str) -> list[str]:
    """The model writes a module makes. A `dict.update()` is no write (an `update` counts
    on a queryset only), nor a decorator such as `@router.delete(...)` (a route)."""
    tree = ast.parse(source)
    decorators = {
        id(d)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        for d in node.decorator_list
    }
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in WRITES or id(node) in decorators:
            continue
        receiver = ast.unparse(node.func.value)
        if node.func.attr == "update" and not QUERYSET.search(receiver):
            continue
        found.append(f"{node.lineno}: {receiver}.{node.func.attr}()")
    return found


def test_the_write_checker_finds_planted_writes():
    source = (
        "@router.delete('/x/{pk}')\n"
        "def view(request, pk):\n"
        "    ctx = {}\n"
        "    ctx.update(a=1)\n"
        "    Case.objects.create(name='x')\n"
        "    case.save(update_fields=['name'])\n"
        "    Case.objects.filter(pk=pk).update(name='y')\n"
        "    case.delete()\n"
    )
    assert model_writes(source) == [
        "5: Case.objects.create()",
        "6: case.save()",
        "7: Case.objects.filter(pk=pk).update()",
        "8: case.delete()",
    ]


def test_views_api_and_pages_do_not_write():
    offenders = [
        f"{rel(p)}:{write}"
        for p in modules()
        if is_door_module(p)
        for write in model_writes(p.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"move these writes into the app's actions: {offenders}"


# --- 3. type: ignore names its error -----------------------------------------------------

BARE_IGNORE = re.compile(r"#\s*type:\s*ignore(?!\[[\w-]+(,\s*[\w-]+)*\])")


def bare_ignores(source: str) -> list[int]:
    """Lines with a `# type: ignore` comment that names no error code."""
    return [
        tok.start[0]
        for tok in tokenize.generate_tokens(StringIO(source).readline)
        if tok.type == tokenize.COMMENT and BARE_IGNORE.search(tok.string)
    ]


def test_the_ignore_checker_finds_a_planted_bare_ignore():
    source = (
        "a = f()  # type: ignore\n"
        "b = g()  # type: ignore[attr-defined]  # a reason\n"
        "c = h()  # type: ignore[union-attr, arg-type]\n"
        "d = '# type: ignore'\n"
        "e = k()  # type:ignore  # spaced differently\n"
    )
    assert bare_ignores(source) == [1, 5]


@pytest.mark.parametrize("tree", ["fangkong", "tests", "benchmarks"])
def test_every_type_ignore_names_its_error(tree):
    offenders = [
        f"{rel(p)}:{line}"
        for p in sorted((ROOT / tree).rglob("*.py"))
        if "migrations" not in p.parts
        for line in bare_ignores(p.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"write # type: ignore[<code>]: {offenders}"


# --- 4. translations live in the catalogues ----------------------------------------------


def code_in_locale(paths: list[Path]) -> list[str]:
    """The Python files kept under a `locale/` directory: a second table of strings
    beside the `.po` catalogues, which are the only home of the translations."""
    return [rel(p) for p in paths if "locale" in p.relative_to(ROOT).parts[:-1]]


def test_the_locale_checker_finds_a_planted_script():
    planted = [
        PACKAGE / "demo" / "locale" / "fill_zh.py",
        PACKAGE / "demo" / "locale" / "zh_Hans" / "LC_MESSAGES" / "table.py",
        PACKAGE / "demo" / "locale.py",
        PACKAGE / "demo" / "localisation" / "forms.py",
    ]
    assert code_in_locale(planted) == [
        "fangkong/demo/locale/fill_zh.py",
        "fangkong/demo/locale/zh_Hans/LC_MESSAGES/table.py",
    ]


def test_no_python_file_lives_under_a_locale_directory():
    offenders = code_in_locale(sorted(PACKAGE.rglob("*.py")))
    assert not offenders, f"keep translations in the .po catalogues only: {offenders}"


# --- 5. an actions package re-exports nothing ---------------------------------------------


def package_code(source: str) -> list[int]:
    """Lines of a package `__init__` that hold code (imports or definitions), beyond its
    docstring: a re-export would let callers keep importing from the package."""
    body = ast.parse(source).body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return [node.lineno for node in body]


def test_the_package_checker_finds_a_planted_re_export():
    source = '"""Writes, by the words of the domain."""\n\nfrom .ledger import receive  # noqa\n'
    assert package_code(source) == [3]
    assert package_code('"""Only a docstring."""\n') == []


def test_actions_packages_hold_no_code():
    offenders = [
        f"{rel(p)}:{line}"
        for p in sorted(PACKAGE.glob("*/actions/__init__.py"))
        for line in package_code(p.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"import from the owning module, not the package: {offenders}"
