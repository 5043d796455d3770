"""A teacher's link flags (README, "Embedding in a course page"): `hide=` and `lock=` name a
lab's controls, and this module decides which names are valid and what a lock holds.

A setting (by its schema name) may be hidden or locked; the controls below that are not
settings may only be hidden. A locked setting keeps the value the link gives it (or its
default): the page shows it disabled, and the bridge refuses to change it, whether the change
comes from a control, a saved network, an imported file or a course page's message.
"""

from . import settings as settings_module
from .config import shown

CONTROL_NAMES = tuple(control["name"] for control in settings_module.CONTROLS)
# Far beyond any lab's controls (the Deep lab has about twenty): a longer list is not a link
# a teacher made.
MAX_NAMES = 60


def _names(text, flag):
    """A flag's value (comma-separated names, or a list of them) as a list of strings."""
    if text is None or text == "":
        return []
    if isinstance(text, str):
        names = [name.strip() for name in text.split(",") if name.strip()]
    elif isinstance(text, list) and all(isinstance(name, str) for name in text):
        names = list(text)
    else:
        raise ValueError(f"{flag}=: expected names separated by commas, got {shown(text)}")
    if len(names) > MAX_NAMES:
        raise ValueError(f"{flag}=: at most {MAX_NAMES} names, got {len(names)}")
    return list(dict.fromkeys(names))


def flags(preset, hide=None, lock=None, link_settings=None):
    """The link's flags checked against the lab: {hide, lock, locked, problems}.

    `hide` and `lock` are the flags' text (comma-separated names) or lists of names. Names
    the lab does not have are left out and said in `problems` (one message per flag), so a
    mistyped name costs only itself. `locked` maps each locked setting to the value the link
    gives it (`link_settings`, validated as any link's settings) or its default; settings the
    simulator refuses lock nothing and are said in `problems` too."""
    setting_names = [spec["name"] for spec in settings_module.SCHEMAS[settings_module.check_lab(preset)]]
    title = settings_module.TITLES[preset]
    problems = []
    chosen = {}
    for flag, allowed, text in (
        ("hide", setting_names + list(CONTROL_NAMES), hide),
        ("lock", setting_names, lock),
    ):
        try:
            names = _names(text, flag)
        except ValueError as error:
            problems.append(f"{error}; it was ignored.")
            names = []
        unknown = [name for name in names if name not in allowed]
        if unknown:
            what = "settings" if flag == "lock" else "controls"
            cannot = [n for n in unknown if n in CONTROL_NAMES]
            problems.append(
                f"{flag}=: {', '.join(shown(n) for n in unknown)} "
                f"{'is' if len(unknown) == 1 else 'are'} not among the {title} lab's {what}, "
                f"so {'it was' if len(unknown) == 1 else 'they were'} ignored"
                + (f" ({', '.join(cannot)} can be hidden, not locked)" if cannot else "")
                + f"; its {what} are {', '.join(allowed)}."
            )
        chosen[flag] = [name for name in names if name in allowed]
    try:
        values = settings_module.validate(preset, link_settings or {})
    except ValueError as error:
        problems.append(f"The link's settings could not be used ({error}), so its locks hold the defaults.")
        values = settings_module.defaults(preset)
    locked = {name: values[name] for name in chosen["lock"]}
    return {"hide": chosen["hide"], "lock": chosen["lock"], "locked": locked, "problems": problems}


def with_locks(settings, locked):
    """Settings to open a lab with: the given ones (say, saved in the browser) with every
    locked setting at its locked value."""
    return {**(settings or {}), **locked}


def check_unlocked(preset, changes, locked, action):
    """ValueError naming the first locked setting `changes` would move away from its value
    (`action`: what cannot be done to it, e.g. "changed")."""
    if not isinstance(changes, dict):
        return
    for name, value in locked.items():
        if name in changes and changes[name] != value:
            label = next(spec["label"] for spec in settings_module.SCHEMAS[preset] if spec["name"] == name)
            raise ValueError(f"{label} is locked by your teacher at {shown(value)}, so it cannot be {action}")
