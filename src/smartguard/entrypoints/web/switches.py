"""The protections the security centre shows as switches: whether each is on, the change
that turns it on or off (keeping the rest of its setting: provinces, countries, hours,
threshold), and its current setting in plain words. The channel switches (SPEC 3.12) are
rows too, named ``channel.<switch>``: for them it is turning *on* that lowers the
protection (a lock is safer on, a channel is safer off)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from smartguard.domain.controls import values as s
from smartguard.domain.controls.spending import Switch, Switches
from smartguard.domain.controls.values import Controls
from smartguard.domain.money import format_amount
from smartguard.entrypoints.web.i18n import inline, translator
from smartguard.entrypoints.web.views import places_text
from smartguard.service_layer.records import CardRecord

#: name -> (label key, details path under /cards/{id})
SWITCHES: dict[str, tuple[str, str]] = {
    "region_lock": ("locks.region", "/locks#region_lock"),
    "overseas_lock": ("locks.overseas", "/locks#overseas_lock"),
    "night_lock": ("locks.night", "/locks#night_lock"),
    "overseas_cnp_lock": ("locks.cnp", "/locks#overseas_cnp_lock"),
    "magstripe": ("verification.magstripe_short", "/verification"),
    "large_purchase": ("verification.large_short", "/verification"),
}


CHANNEL = "channel."
CHANNELS = tuple(f"{CHANNEL}{sw.value}" for sw in Switch)
#: Pages other than the centre that show switch rows, and where a switch posted from them
#: without JavaScript comes back to (``back`` in the form), under /cards/{id}.
BACK: dict[str, str] = {"controls": "/controls"}


def back_path(card_id: str, back: str | None) -> str:
    """The page a switch came from: the centre, or one of ``BACK``."""
    return f"/cards/{card_id}" + BACK.get(back or "", "")


def known(name: str) -> bool:
    return name in SWITCHES or name in CHANNELS


def label_key(name: str) -> str:
    return f"target.switches.{name[len(CHANNEL):]}" if name in CHANNELS else SWITCHES[name][0]


def lowering(name: str) -> str:
    """The ``on`` value that lowers the protection (and so asks first)."""
    return "1" if name in CHANNELS else "0"


def is_on(ctl: Controls, name: str) -> bool:
    if name in CHANNELS:
        return ctl.switches.is_on(Switch(name[len(CHANNEL):]))
    found: dict[str, bool] = {
        "region_lock": ctl.region_lock.enabled, "overseas_lock": ctl.overseas_lock.enabled,
        "night_lock": ctl.night_lock.enabled, "overseas_cnp_lock": ctl.overseas_cnp_lock,
        "magstripe": ctl.verification.magstripe,
        "large_purchase": ctl.verification.large_purchase,
    }
    return found[name]


def change(ctl: Controls, name: str, on: bool) -> s.ProtectionChange:
    """Turn ``name`` on or off, the rest of its setting as it is (InvalidInput when it
    cannot be on as set: a region lock without provinces)."""
    n, v = ctl.night_lock, ctl.verification
    P = s.Protection
    if name in CHANNELS:
        sw = Switch(name[len(CHANNEL):])
        off = ctl.switches.off - {sw} if on else ctl.switches.off | {sw}
        return s.ProtectionChange(P.SWITCHES, Switches(frozenset(off)))
    if name == "region_lock":
        return s.ProtectionChange(P.REGION_LOCK, s.region_lock(on, ctl.region_lock.places))
    if name == "overseas_lock":
        return s.ProtectionChange(P.OVERSEAS_LOCK,
                                  s.overseas_lock(on, ctl.overseas_lock.places))
    if name == "night_lock":
        return s.ProtectionChange(P.NIGHT_LOCK, s.night_lock(on, n.start, n.end,
                                                             n.scope.value))
    if name == "overseas_cnp_lock":
        return s.ProtectionChange(P.OVERSEAS_CNP_LOCK, on)
    magstripe = on if name == "magstripe" else v.magstripe
    large = on if name == "large_purchase" else v.large_purchase
    return s.ProtectionChange(P.VERIFICATION, s.verification(magstripe, large,
                                                             v.large_threshold))


def setting_text(rec: CardRecord, name: str, lang: str, on: bool | None = None) -> str:
    """What the protection does now (or would do, ``on`` given), in plain words."""
    t = translator(lang)
    ctl = rec.controls
    on = is_on(ctl, name) if on is None else on
    if name in CHANNELS:
        return t("centre.channel_on") if on else t("centre.channel_off")
    if not on:
        return t(f"centre.off.{name}")
    n, v = ctl.night_lock, ctl.verification
    words: dict[str, Callable[[], str]] = {
        "region_lock": lambda: t("centre.on.region_lock",
                                 places=places_text(ctl.region_lock.places, lang)),
        "overseas_lock": lambda: t("centre.on.overseas_lock", places=places_text(
            ctl.overseas_lock.places, lang)) if ctl.overseas_lock.places
        else t("centre.on.overseas_nowhere"),
        "night_lock": lambda: t(f"centre.on.night_lock_{n.scope.value}",
                                start=f"{n.start:%H:%M}", end=f"{n.end:%H:%M}"),
        "overseas_cnp_lock": lambda: t("centre.on.overseas_cnp_lock"),
        "magstripe": lambda: t("centre.on.magstripe"),
        "large_purchase": lambda: t("centre.on.large_purchase", amount=format_amount(
            v.large_threshold, rec.account.currency)),
    }
    return words[name]()


def ask(name: str, lang: str) -> dict[str, str]:
    """The question before a change that lowers the protection, and its answers."""
    t = translator(lang)
    label = t(label_key(name))
    if name in CHANNELS:
        return {"title": t("centre.confirm_on_title", name=inline(label, lang)),
                "lowers": t("centre.confirm_on_lowers"),
                "text": t("centre.channel_on_risk"), "yes": t("centre.confirm_on"),
                "no": t("centre.keep_off")}
    return {"title": t("centre.confirm_title", name=inline(label, lang)),
            "lowers": t("centre.confirm_lowers"), "text": t(f"centre.off.{name}"),
            "yes": t("centre.confirm_off"), "no": t("centre.keep_on")}


def notice(query: Mapping[str, str], card_id: str, lang: str,
           back: str | None = None) -> dict[str, Any] | None:
    """After a switch posted without JavaScript (``?switched=<name>&now=on|off``): what was
    done, and the form that undoes it (back to the same page)."""
    name, now = query.get("switched"), query.get("now")
    if name is None or not known(name) or now not in ("on", "off"):
        return None
    t = translator(lang)
    label = t(label_key(name))
    return {"text": t(f"centre.switched_{now}", name=label),
            "undo": {"action": f"/cards/{card_id}/switches/{name}", "back": back,
                     "on": "0" if now == "on" else "1", "name": label}}


def rows(rec: CardRecord, lang: str, names: tuple[str, ...] = tuple(SWITCHES),
         back: str | None = None) -> list[dict[str, Any]]:
    """One row per switch: its name, on/off, the setting in words, the question asked
    before lowering the protection, and its details page (none when the row is on its
    details page already, ``back`` given: the page it is shown on)."""
    t = translator(lang)
    base = f"/cards/{rec.card.id}"
    return [{"key": name.replace(".", "-"), "name": t(label_key(name)),
             "on": is_on(rec.controls, name), "text": setting_text(rec, name, lang),
             "ask": ask(name, lang), "ask_when": lowering(name), "back": back,
             "href": None if back else base + (SWITCHES[name][1] if name in SWITCHES
                                               else "/controls#channels"),
             "action": f"{base}/switches/{name}"}
            for name in names]
