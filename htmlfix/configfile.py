"""Configuration files: ``[tool.htmlfix]`` in ``pyproject.toml``, or ``htmlfix.toml``.

As in Ruff, each file uses the configuration closest to it: htmlfix walks up from the file's
directory and takes the first directory holding ``.htmlfix.toml``, ``htmlfix.toml`` or a
``pyproject.toml`` with a ``[tool.htmlfix]`` table (in that order of precedence). Files are
not merged; command-line options override the file. Relative globs in a file are anchored at
its directory. Unknown keys and bad values are :class:`ConfigError`\\ s naming the file and key.

A configuration file holds (kebab-case keys; see the README for examples):

* the :class:`~htmlfix.config.Settings` fields: ``select``, ``extend-select``, ``ignore``,
  ``fixable``, ``unfixable``, ``unsafe-fixes``, ``mode``, ``target`` and any field added later
  (``json-fields``), checked against the field's type;
* ``[rules.CODE]`` tables of rule options (each rule declares the options it takes);
* which files to read: ``exclude`` / ``extend-exclude`` (globs), ``respect-gitignore``,
  ``force-exclude``, ``per-file-ignores`` (glob → codes) and ``per-file-mode`` (glob → mode;
  a file matching it is read in that mode even if htmlfix does not know its extension).
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from .config import MODES, TARGETS, Settings
from .registry import SelectionError, is_listed, rule_class, select_rules, validate_selectors

__all__ = [
    "CONFIG_NAMES",
    "DEFAULT_EXCLUDE",
    "ConfigError",
    "ConfigLoader",
    "Configuration",
    "Overrides",
    "load_config_file",
]

#: Configuration file names, in order of precedence within one directory.
CONFIG_NAMES = (".htmlfix.toml", "htmlfix.toml", "pyproject.toml")

#: What a directory walk skips unless ``exclude`` replaces it: tool and build directories,
#: dependencies, and hidden files and directories (``.*``).
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".*", "__pycache__", "_build", "build", "dist", "node_modules", "site-packages",
    "venv", "htmlcov",
)
#: Version-control internals are never content; no configuration brings them back.
ALWAYS_EXCLUDED = frozenset({".git", ".hg", ".svn"})

#: Settings fields whose values are rule selectors (codes or prefixes), validated as such.
_SELECTOR_FIELDS = frozenset({"select", "extend_select", "ignore", "fixable", "unfixable"})
#: Settings fields with a closed set of values.
_CHOICES: dict[str, Sequence[str]] = {"mode": MODES, "target": TARGETS}
#: Keys that are not Settings fields.
_FILE_KEYS = (
    "exclude", "extend-exclude", "respect-gitignore", "force-exclude", "per-file-ignores",
    "per-file-mode", "rules",
)


class ConfigError(ValueError):
    """A configuration file that cannot be used (one line, naming the file and the key)."""


# --- globs -----------------------------------------------------------------------------------


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob as a regex over ``/``-separated paths: ``**`` spans directories, ``*`` and ``?``
    stay within one name, ``[...]`` is a character class."""
    out = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            close = pattern.find("]", i + 2 if pattern[i + 1 : i + 2] in ("!", "]") else i + 1)
            if close == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : close]
                negate = body.startswith("!")
                body = body[1:] if negate else body
                out.append(f"[{'^' if negate else ''}{body.replace(chr(92), chr(92) * 2)}]")
                i = close
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL)


@dataclass(frozen=True)
class Glob:
    """One pattern of ``exclude``, ``per-file-ignores`` or ``per-file-mode``.

    A pattern without ``/`` matches the name of the file or of any directory above it (below
    the configuration's directory): ``drafts``, ``*.min.html``. A pattern with ``/`` matches
    the path relative to the configuration's directory, or any directory above the file:
    ``exports/*.xml``, ``content/**/legacy``. A leading ``!`` negates the pattern (in
    ``per-file-ignores``).
    """

    pattern: str

    @cached_property
    def _compiled(self) -> tuple[bool, bool, re.Pattern[str]]:
        negated = self.pattern.startswith("!")
        text = (self.pattern[1:] if negated else self.pattern).rstrip("/")
        anchored = "/" in text
        if anchored:
            text = text.removeprefix("./").lstrip("/")
        return negated, anchored, _glob_regex(text)

    def matches(self, parts: Sequence[str], *, last_only: bool = False) -> bool:
        """Whether the path (its parts relative to the configuration's directory) matches.

        ``last_only`` tests the path itself and not the directories above it, for a walk that
        has tested those already.
        """
        negated, anchored, regex = self._compiled
        if not parts:
            return negated
        if anchored:
            prefixes = ["/".join(parts)] if last_only else ["/".join(parts[: i + 1]) for i in range(len(parts))]
            hit = any(regex.match(prefix) for prefix in prefixes)
        else:
            hit = any(regex.match(part) for part in (parts[-1:] if last_only else parts))
        return hit != negated


# --- the configuration of one directory tree -------------------------------------------------


@dataclass(frozen=True)
class Overrides:
    """What the command line says, applied over any configuration file.

    Rule selection layers as in Ruff: ``select`` on the command line replaces the file's
    selection (its ``ignore`` and ``extend-select`` too); otherwise ``extend_select`` and
    ``ignore`` adjust the file's selection. ``settings`` replaces other Settings fields
    (``unsafe_fixes``, ``mode``, ``target``, ...); a ``mode`` given here also beats
    ``per-file-mode``.
    """

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool | None = None
    force_exclude: bool | None = None

    def apply(self, config: Configuration) -> Configuration:
        settings = replace(config.settings, **self.settings) if self.settings else config.settings
        settings = self._select(settings)
        return replace(
            config,
            settings=settings,
            exclude=config.exclude if self.exclude is None else self.exclude,
            extend_exclude=config.extend_exclude + self.extend_exclude,
            respect_gitignore=config.respect_gitignore if self.respect_gitignore is None else self.respect_gitignore,
            force_exclude=config.force_exclude if self.force_exclude is None else self.force_exclude,
            mode_forced=config.mode_forced or self.settings.get("mode") is not None,
        )

    def _select(self, settings: Settings) -> Settings:
        if self.select is not None:
            return replace(settings, select=self.select, extend_select=self.extend_select, ignore=self.ignore)
        if not self.extend_select and not self.ignore:
            return settings
        if not settings.extend_select and not settings.ignore and settings.select is None:
            return replace(settings, extend_select=self.extend_select, ignore=self.ignore)
        # The file's layer first, then ours on top of the rules it chose.
        chosen = select_rules(settings.select, settings.ignore, settings.extend_select)
        dropped = set(select_rules(list(self.ignore))) if self.ignore else set()
        added = select_rules(list(self.extend_select), self.ignore) if self.extend_select else []
        codes = {rule.code for rule in chosen if rule not in dropped} | {rule.code for rule in added}
        ordered = tuple(rule.code for rule in select_rules(["ALL"]) if rule.code in codes)
        return replace(settings, select=ordered, extend_select=(), ignore=())


@dataclass(frozen=True)
class Configuration:
    """The settings for the files under one configuration file (or the defaults)."""

    settings: Settings = field(default_factory=Settings)
    #: The file it was read from; None for the defaults.
    path: Path | None = None
    #: The directory relative globs are anchored at.
    root: Path = field(default_factory=lambda: Path.cwd())
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    force_exclude: bool = False
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    per_file_mode: tuple[tuple[str, str], ...] = ()
    #: Set when the command line forced a mode, which then beats ``per-file-mode``.
    mode_forced: bool = False

    def parts(self, path: str | os.PathLike[str]) -> tuple[str, ...]:
        """The path's parts relative to :attr:`root`; just its name when it lies outside."""
        absolute = Path(os.path.abspath(path))
        try:
            return absolute.relative_to(self.root).parts
        except ValueError:
            return (absolute.name,)

    @cached_property
    def _exclude(self) -> tuple[Glob, ...]:
        return tuple(Glob(p) for p in (*self.exclude, *self.extend_exclude))

    @cached_property
    def _ignores(self) -> tuple[tuple[Glob, tuple[str, ...]], ...]:
        return tuple((Glob(p), codes) for p, codes in self.per_file_ignores)

    @cached_property
    def _modes(self) -> tuple[tuple[Glob, str], ...]:
        return tuple((Glob(p), mode) for p, mode in self.per_file_mode)

    @cached_property
    def _resolved(self) -> dict[tuple[tuple[str, ...], str | None], Settings]:
        return {}

    def is_excluded(self, path: str | os.PathLike[str], *, walked: bool = False) -> bool:
        """Whether ``exclude``/``extend-exclude`` (or version control) excludes ``path``.

        ``walked``: the directories above ``path`` were tested already (a directory walk), so
        only its own name and path are.
        """
        parts = self.parts(path)
        if any(part in ALWAYS_EXCLUDED for part in (parts[-1:] if walked else parts)):
            return True
        return any(glob.matches(parts, last_only=walked) for glob in self._exclude)

    def mode_for(self, path: str | os.PathLike[str]) -> str | None:
        """The ``per-file-mode`` of ``path`` (the first matching glob), or None."""
        if not self._modes:
            return None
        parts = self.parts(path)
        return next((mode for glob, mode in self._modes if glob.matches(parts)), None)

    def ignores_for(self, path: str | os.PathLike[str]) -> tuple[str, ...]:
        """The codes ``per-file-ignores`` switches off for ``path``."""
        if not self._ignores:
            return ()
        parts = self.parts(path)
        return tuple(code for glob, codes in self._ignores if glob.matches(parts) for code in codes)

    def settings_for(self, path: str | os.PathLike[str] | None) -> Settings:
        """The settings one file is checked with: ``per-file-ignores`` switch its rules off
        (whatever ``select`` says, as in Ruff) and ``per-file-mode`` chooses its mode."""
        ignores = self.ignores_for(path) if path is not None else ()
        mode = None if path is None or self.mode_forced else self.mode_for(path)
        key = (ignores, mode)
        cached = self._resolved.get(key)
        if cached is not None:
            return cached
        settings = self.settings
        if ignores:
            chosen = select_rules(settings.select, settings.ignore, settings.extend_select)
            kept = tuple(rule.code for rule in chosen if not is_listed(rule.code, ignores))
            settings = replace(settings, select=kept, extend_select=(), ignore=())
        if mode is not None:
            settings = replace(settings, mode=mode)
        self._resolved[key] = settings
        return settings


# --- reading files ---------------------------------------------------------------------------


def _kebab(name: str) -> str:
    return name.replace("_", "-")


def _settings_fields() -> dict[str, tuple[str, Any]]:
    """Config key → (Settings field name, type) for every Settings field a file may set."""
    hints = typing.get_type_hints(Settings)
    return {
        _kebab(f.name): (f.name, hints[f.name])
        for f in dataclasses.fields(Settings)
        if f.name != "rule_options"
    }


class _Reader:
    """Validates one configuration table, naming the file and key in every error."""

    def __init__(self, path: Path, section: str) -> None:
        self.path = path
        self.section = section

    def error(self, key: str, message: str) -> ConfigError:
        where = f"{self.section}{key}" if self.section else key
        return ConfigError(f"{self.path}: {where}: {message}")

    def strings(self, key: str, value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, f"expected a list of strings, got {_describe(value)}")
        return tuple(value)

    def selectors(self, key: str, value: object) -> tuple[str, ...]:
        try:
            return validate_selectors(self.strings(key, value), key)
        except SelectionError as exc:
            raise self.error(key, str(exc).removeprefix(f"{key}: ")) from None

    def boolean(self, key: str, value: object) -> bool:
        if not isinstance(value, bool):
            raise self.error(key, f"expected true or false, got {_describe(value)}")
        return value

    def choice(self, key: str, value: object, choices: Sequence[str]) -> str:
        if not isinstance(value, str) or value not in choices:
            raise self.error(key, f"expected one of {', '.join(map(repr, choices))}, got {_describe(value)}")
        return value

    def table(self, key: str, value: object) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(key, f"expected a table, got {_describe(value)}")
        return value

    def setting(self, key: str, name: str, annotation: Any, value: object) -> object:
        """A Settings field's value, checked against the field's type."""
        if name in _SELECTOR_FIELDS:
            return self.selectors(key, value)
        if name in _CHOICES:
            return self.choice(key, value, _CHOICES[name])
        kinds = _plain_types(annotation)
        if bool in kinds:
            return self.boolean(key, value)
        if tuple in kinds:
            return self.strings(key, value)
        for kind in (int, float, str):
            if kind in kinds and isinstance(value, kind) and not isinstance(value, bool):
                return value
        raise self.error(key, f"expected {_type_name(annotation)}, got {_describe(value)}")

    def rule_options(self, value: object) -> dict[str, dict[str, Any]]:
        options: dict[str, dict[str, Any]] = {}
        for code, table in self.table("rules", value).items():
            key = f"rules.{code}"
            try:
                rule = rule_class(code)
            except KeyError:
                raise self.error(key, f"{code!r} is not a rule code (see `htmlfix rules`)") from None
            declared = dict(getattr(rule, "options", None) or {})
            checked: dict[str, Any] = {}
            for name, option in self.table(key, table).items():
                if name not in declared:
                    known = ", ".join(sorted(declared)) or "none"
                    raise self.error(f"{key}.{name}", f"{rule.code} has no option {name!r} (its options: {known})")
                default = declared[name]
                if not _same_kind(option, default):
                    raise self.error(f"{key}.{name}", f"expected a value like {default!r}, got {_describe(option)}")
                checked[name] = option
            options[rule.code] = checked
        return options

    def read(self, table: Mapping[str, Any]) -> Configuration:
        fields = _settings_fields()
        settings: dict[str, Any] = {}
        config: dict[str, Any] = {"path": self.path, "root": self.path.parent.resolve()}
        for key, value in table.items():
            if key in fields:
                name, annotation = fields[key]
                settings[name] = self.setting(key, name, annotation, value)
            elif key == "rules":
                settings["rule_options"] = self.rule_options(value)
            elif key in ("exclude", "extend-exclude"):
                globs = self.strings(key, value)
                if any(glob.startswith("!") for glob in globs):
                    raise self.error(key, "a glob cannot be negated here (only in per-file-ignores)")
                config[key.replace("-", "_")] = globs
            elif key in ("respect-gitignore", "force-exclude"):
                config[key.replace("-", "_")] = self.boolean(key, value)
            elif key == "per-file-ignores":
                config["per_file_ignores"] = tuple(
                    (pattern, self.selectors(f"{key}.{pattern!r}", codes))
                    for pattern, codes in self.table(key, value).items()
                )
            elif key == "per-file-mode":
                config["per_file_mode"] = tuple(
                    (pattern, self.choice(f"{key}.{pattern!r}", mode, [m for m in MODES if m != "auto"]))
                    for pattern, mode in self.table(key, value).items()
                )
            else:
                known = [*fields, *_FILE_KEYS]
                close = difflib.get_close_matches(key, known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise self.error(key, f"unknown key{hint}")
        return Configuration(settings=Settings(**settings), **config)


def _plain_types(annotation: Any) -> set[type]:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return {t for arg in typing.get_args(annotation) for t in _plain_types(arg)}
    origin = typing.get_origin(annotation)
    return {origin if isinstance(origin, type) else annotation} if annotation is not type(None) else set()


def _type_name(annotation: Any) -> str:
    names = {bool: "true or false", int: "an integer", float: "a number", str: "a string", tuple: "a list"}
    return " or ".join(names.get(t, t.__name__) for t in sorted(_plain_types(annotation), key=str))


def _same_kind(value: object, default: object) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    if isinstance(default, (list, tuple)):
        return isinstance(value, list)
    return isinstance(value, type(default))


def _describe(value: object) -> str:
    kind = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list", dict: "a table"}
    return f"{kind.get(type(value), type(value).__name__)} ({value!r})" if not isinstance(value, dict) else "a table"


def _table_in(path: Path) -> tuple[Mapping[str, Any], str] | None:
    """The htmlfix table of a configuration file and its section name for messages; None for
    a ``pyproject.toml`` without ``[tool.htmlfix]``."""
    try:
        import tomllib  # here: most runs read no configuration file

        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    if path.name != "pyproject.toml":
        return data, ""
    table = data.get("tool", {}).get("htmlfix")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.htmlfix] must be a table")
    return table, "[tool.htmlfix] "


def load_config_file(path: str | os.PathLike[str]) -> Configuration:
    """Read one configuration file (``--config``); a pyproject.toml without
    ``[tool.htmlfix]`` gives the defaults, anchored at its directory."""
    location = Path(path)
    if not location.is_file():
        raise ConfigError(f"{path}: configuration file not found")
    found = _table_in(location)
    if found is None:
        return Configuration(path=location, root=location.parent.resolve())
    table, section = found
    return _Reader(location, section).read(table)


class ConfigLoader:
    """Finds the configuration for each path, caching per directory.

    ``config_file`` (``--config``) is used for every path; ``isolated`` ignores all files.
    ``overrides`` (the command line) is applied over whatever is found.
    """

    def __init__(
        self,
        overrides: Overrides | None = None,
        *,
        config_file: str | os.PathLike[str] | None = None,
        isolated: bool = False,
    ) -> None:
        self.overrides = overrides or Overrides()
        self._fixed: Configuration | None = None
        if config_file is not None:
            self._fixed = self.overrides.apply(load_config_file(config_file))
        elif isolated:
            self._fixed = self.overrides.apply(Configuration())
        self._by_directory: dict[Path, Configuration] = {}
        self._default: Configuration | None = None

    def for_path(self, path: str | os.PathLike[str]) -> Configuration:
        """The configuration that governs ``path`` (a file or a directory)."""
        if self._fixed is not None:
            return self._fixed
        absolute = Path(os.path.abspath(path))
        directory = absolute if absolute.is_dir() else absolute.parent
        visited: list[Path] = []
        found: Configuration | None = None
        for candidate in (directory, *directory.parents):
            cached = self._by_directory.get(candidate)
            if cached is not None:
                found = cached
                break
            visited.append(candidate)
            found = self._read_directory(candidate)
            if found is not None:
                break
        if found is None:
            found = self._defaults()
        for seen in visited:
            self._by_directory[seen] = found
        return found

    def _read_directory(self, directory: Path) -> Configuration | None:
        for name in CONFIG_NAMES:
            path = directory / name
            if not path.is_file():
                continue
            found = _table_in(path)
            if found is None:  # a pyproject.toml that does not configure htmlfix
                continue
            table, section = found
            return self.overrides.apply(_Reader(path, section).read(table))
        return None

    def _defaults(self) -> Configuration:
        if self._default is None:
            self._default = self.overrides.apply(Configuration())
        return self._default


def describe(config: Configuration, path: str | None) -> str:
    """The resolved configuration for one path, as TOML a user could paste into a file."""
    settings = config.settings_for(path)
    lines = [
        f"# htmlfix settings for {path or '(defaults)'}",
        f"# configuration file: {config.path or 'none (defaults)'}",
        f"# globs are relative to: {config.root}",
    ]
    values: dict[str, Any] = {}
    for f in dataclasses.fields(Settings):
        if f.name != "rule_options":
            values[_kebab(f.name)] = getattr(config.settings, f.name)
    values.update(
        exclude=list(config.exclude),
        **{"extend-exclude": list(config.extend_exclude),
           "respect-gitignore": config.respect_gitignore,
           "force-exclude": config.force_exclude},
    )
    for key, value in values.items():
        if value is None:
            lines.append(f"# {key} is not set (the default)")
        else:
            lines.append(f"{key} = {_toml(value)}")
    lines.append("")
    lines.append("[per-file-ignores]")
    lines.extend(f"{_toml(p)} = {_toml(list(c))}" for p, c in config.per_file_ignores)
    lines.append("")
    lines.append("[per-file-mode]")
    lines.extend(f"{_toml(p)} = {_toml(m)}" for p, m in config.per_file_mode)
    for code, options in sorted(config.settings.rule_options.items()):
        lines.append("")
        lines.append(f"[rules.{code}]")
        lines.extend(f"{k} = {_toml(v)}" for k, v in options.items())
    if path is not None:
        codes = [rule.code for rule in select_rules(settings.select, settings.ignore, settings.extend_select)]
        lines.append("")
        lines.append(f"# for {path}: mode {settings.mode or 'by extension and content'}; "
                     f"{len(codes)} rules enabled: {' '.join(codes) or '(none)'}")
    return "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, Iterable):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return _toml(str(value))
