"""Advisor text in both languages."""

from __future__ import annotations

from dataclasses import dataclass

from smartguard.domain.geography import place_name


@dataclass(frozen=True, slots=True)
class Text:
    zh: str
    en: str

    def get(self, language: str) -> str:
        return self.zh if language == "zh-CN" else self.en

    def as_dict(self) -> dict[str, str]:
        return {"zh-CN": self.zh, "en": self.en}


def places(codes: tuple[str, ...] | list[str], language: str) -> str:
    """``("CN-HA", "CN-BJ")`` -> "河南省、北京市" or "Henan and Beijing"."""
    names = [place_name(c, language) for c in codes]
    if language == "zh-CN":
        return "、".join(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def both_places(codes: tuple[str, ...] | list[str]) -> tuple[str, str]:
    return places(codes, "zh-CN"), places(codes, "en")


def count(n: int, noun: str, plural: str = "") -> str:
    """``1 payment``, ``2 payments`` (English only; Chinese has no plural)."""
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"
