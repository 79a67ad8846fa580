"""Checks of mobile/buildozer.spec against buildozer's and python-for-android's own code, as
installed from PyPI (the ``test`` extra): what they read, where they look, what recipes they
have. ``problems`` returns each finding with a code, so a test can name the one it expects.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import buildozer
import jinja2
import pythonforandroid
from buildozer import Buildozer
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[3]
SPEC = REPO / "mobile" / "buildozer.spec"
TABLET_PACKAGES = ("mobile", "shared", "forms")
PERMISSIONS = ("CAMERA", "ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION", "INTERNET")
RECIPES = Path(pythonforandroid.__file__).parent / "recipes"
ANDROID_NS = "{http://schemas.android.com/apk/res/android}"

# Modules that exist only on the device, and the recipe that provides each.
DEVICE_MODULES = {"jnius": "pyjnius", "android": "android"}
# Declared by a distribution but not imported by what the tablet runs: Kivy names them for its
# rST viewer (docutils), code input (pygments), garden tool (kivy-garden) and its optional
# requests-based UrlRequest; the app uses none of these.
NOT_RUN = {"kivy": {"docutils", "pygments", "kivy-garden", "requests"}}
# What a pinned release requires when it is not the installed one (from its wheel's METADATA).
PINNED_RELEASES = {
    ("pydantic", "2.12.3"): [
        "annotated-types>=0.6.0",
        "pydantic-core==2.41.4",
        "typing-extensions>=4.14.1",
        "typing-inspection>=0.4.2",
    ],
}
# Markers evaluated as python-for-android's interpreter sees them.
ANDROID = {
    "python_version": "3.14",
    "python_full_version": "3.14.2",
    "sys_platform": "android",
    "platform_system": "Android",
    "platform_python_implementation": "CPython",
    "implementation_name": "cpython",
    "extra": "",
}


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


def recipe_versions() -> dict[str, str | None]:
    """Return python-for-android's recipes (canonical name → version, None when unversioned)."""
    found: dict[str, str | None] = {}
    for init in RECIPES.glob("*/__init__.py"):
        match = re.search(r"^\s+version\s*=\s*['\"]([^'\"]+)['\"]", init.read_text(), re.M)
        found[canonicalize_name(init.parent.name)] = match.group(1) if match else None
    return found


def buildozer_app_keys() -> set[str]:
    """Return the [app] keys buildozer reads: those of its default spec and its sources."""
    package = Path(buildozer.__file__).parent
    default = (package / "default.spec").read_text()
    app_part = default.split("[app]", 1)[1].split("\n[", 1)[0]
    keys = set(re.findall(r"^#?\s*([a-z][\w.\-]*)\s*=", app_part, re.M))
    for source in [package / "__init__.py", *package.glob("targets/*.py")]:
        keys |= set(re.findall(r"['\"]app['\"],\s*['\"]([\w.\-]+)['\"]", source.read_text()))
    return keys


def third_party_imports(root: Path = REPO) -> set[str]:
    """Return the top-level modules outside the standard library imported by the tablet."""
    found: set[str] = set()
    sources = [root / "main.py", *(p for d in TABLET_PACKAGES for p in (root / d).rglob("*.py"))]
    for path in sources:
        if path.exists():
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m not in TABLET_PACKAGES}


def run_time_closure(modules: set[str]) -> set[str]:
    """Return the canonical names of the distributions the tablet needs at run time: those
    providing ``modules`` and, transitively, what each requires on Android."""
    providers = importlib.metadata.packages_distributions()
    todo = [DEVICE_MODULES.get(module) or providers.get(module, [module])[0] for module in modules]
    needed: set[str] = set()
    while todo:
        name = canonicalize_name(todo.pop())
        if name in needed:
            continue
        needed.add(name)
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            if requirement.marker and not requirement.marker.evaluate(ANDROID):
                continue
            if canonicalize_name(requirement.name) not in NOT_RUN.get(name, set()):
                todo.append(requirement.name)
    return needed


def _requirements(config: object) -> dict[str, str | None]:
    pins: dict[str, str | None] = {}
    for entry in config.getlist("app", "requirements", []):  # type: ignore[attr-defined]
        if not entry:
            continue
        name, _, version = entry.partition("==")
        pins[canonicalize_name(name)] = version or None
    return pins


def _requires_of(name: str, version: str) -> list[str] | None:
    """Return what release ``version`` of ``name`` requires, if known here."""
    try:
        if importlib.metadata.version(name) == version:
            return importlib.metadata.requires(name) or []
    except importlib.metadata.PackageNotFoundError:
        pass
    return PINNED_RELEASES.get((name, version))


class _Args:
    """python-for-android's build arguments: the minimum API as the spec's, the rest empty."""

    min_sdk_version = 24

    def __getattr__(self, name: str) -> str:
        return ""


def _manifest_with_provider(hook: Path) -> str:
    """Return python-for-android's manifest template rendered, with the spec's hook applied."""
    namespace: dict[str, object] = {"__file__": str(hook)}
    exec(compile(hook.read_text(), str(hook), "exec"), namespace)
    templates = Path(pythonforandroid.__file__).parent / "bootstraps" / "_sdl_common" / "build"
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates / "templates"),
        undefined=jinja2.ChainableUndefined,
    )
    rendered = environment.get_template("AndroidManifest.tmpl.xml").render(args=_Args())
    provider = (hook.parent / "provider.xml").read_text()
    with_provider = namespace["with_provider"]
    return with_provider(rendered, provider)  # type: ignore[operator,no-any-return]


def problems(spec: Path = SPEC, root: Path = REPO) -> list[Problem]:
    """Return what buildozer or python-for-android would get wrong with ``spec``."""
    return list(_problems(spec, root))


def _problems(spec: Path, root: Path) -> Iterator[Problem]:
    reader = Buildozer(str(spec))
    config, spec_dir = reader.config, Path(reader.root_dir)
    known = buildozer_app_keys()
    for section in config.sections():
        for key in config.options(section):
            if section != "app" and (key.startswith(("android.", "p4a.")) or key in known):
                yield Problem(
                    "key_outside_app", f"[{section}] {key}: buildozer reads it from [app]"
                )
            if section == "app" and key not in known:
                yield Problem("unknown_key", f"[app] {key}: buildozer does not read this key")

    source = (spec_dir / config.getdefault("app", "source.dir", ".")).resolve()
    if not (source / "main.py").exists():
        yield Problem("no_main_py", f"no main.py at the root of source.dir ({source})")

    for permission in PERMISSIONS:
        if permission not in config.getlist("app", "android.permissions", []):
            yield Problem("missing_permission", f"{permission} is not in [app] android.permissions")

    for section in config.sections():
        if config.get(section, "android.extra_manifest_application_arguments", fallback=""):
            yield Problem(
                "provider_as_attributes",
                "android.extra_manifest_application_arguments adds attributes to <application>,"
                " not a <provider> element",
            )
    hook = config.getdefault("app", "p4a.hook", "")
    if not hook or not (spec_dir / hook).exists():
        yield Problem("no_provider", "no p4a.hook puts the FileProvider inside <application>")
    else:
        manifest = ElementTree.fromstring(_manifest_with_provider(spec_dir / hook))
        providers = manifest.findall("application/provider")
        if [p.get(f"{ANDROID_NS}name") for p in providers] != [
            "androidx.core.content.FileProvider"
        ]:
            yield Problem(
                "no_provider", "the rendered manifest has no FileProvider in <application>"
            )
    res_xml = [spec_dir / path for path in config.getlist("app", "android.res_xml", [])]
    if not any(path.name == "file_paths.xml" and path.exists() for path in res_xml):
        yield Problem("no_file_paths", "android.res_xml does not ship the FileProvider's paths")
    if not config.getbooldefault("app", "android.enable_androidx", False):
        yield Problem(
            "no_androidx", "android.enable_androidx is not set (FileProvider is AndroidX)"
        )
    if not any(
        dependency.startswith("androidx.core:core:")
        for dependency in config.getlist("app", "android.gradle_dependencies", [])
    ):
        yield Problem("no_androidx_core", "androidx.core is not in android.gradle_dependencies")

    branch = config.getdefault("app", "p4a.branch", "")
    if branch != f"v{pythonforandroid.__version__}":
        yield Problem(
            "p4a_branch",
            f"p4a.branch {branch!r} is not the release whose recipes are checked here"
            f" (v{pythonforandroid.__version__})",
        )

    pins = _requirements(config)
    recipes = recipe_versions()
    for name in sorted(run_time_closure(third_party_imports(root)) - pins.keys()):
        yield Problem("missing_requirement", f"{name} is imported at run time, not in requirements")
    for name, version in sorted(pins.items()):
        recipe_version = recipes.get(name)
        if version is None:
            if name not in recipes or recipe_version is not None:
                yield Problem("unpinned", f"{name} is not pinned")
        elif name in recipes and recipe_version is not None and version != recipe_version:
            yield Problem(
                "pin_not_recipe",
                f"{name}=={version} but python-for-android's recipe builds {recipe_version}",
            )
        if version is None:
            continue
        requires = _requires_of(name, version)
        if requires is None and name not in recipes:
            try:
                importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                continue  # a recipe's own dependency (six, sniffio): not installed here
            yield Problem(
                "pin_unverified", f"{name}=={version}: what it requires is not known here"
            )
            continue
        for line in requires or []:
            requirement = Requirement(line)
            if requirement.marker and not Marker(str(requirement.marker)).evaluate(ANDROID):
                continue
            other = pins.get(canonicalize_name(requirement.name))
            if other is not None and Version(other) not in requirement.specifier:
                yield Problem(
                    "pins_conflict",
                    f"{name}=={version} requires {requirement}, requirements pin {other}",
                )
