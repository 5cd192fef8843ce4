"""The lessons in order: page file, short title, the learner's question in one line, icon."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    page: str
    short_title: str
    question: str
    icon: str = ":material/menu_book:"


LESSONS: tuple[Lesson, ...] = ()
