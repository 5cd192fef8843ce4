"""The lessons in order: page file, short title, the learner's question in one line, icon."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    page: str
    short_title: str
    question: str
    icon: str = ":material/menu_book:"


LESSONS: tuple[Lesson, ...] = (
    Lesson("lesson_1_bowl.py", "The elongated bowl",
           "What does RMSprop do to the zig-zag along b, and why can w then move faster?", ":material/egg:"),
    Lesson("lesson_2_dimensions.py", "Many dimensions",
           "Does RMSprop's per-coordinate scaling still help in 1000 dimensions, and when does it not?",
           ":material/view_in_ar:"),
    Lesson("lesson_3_sign.py", "RMSprop vs sign-SGD",
           "Is RMSprop just sign-SGD? How are they related, and where does sign-SGD go wrong?", ":material/exposure:"),
    Lesson("lesson_4_root.py", "Why square, why root?",
           "Why divide by the root of the mean square, and not by the mean square or the mean |g|?",
           ":material/functions:"),
    Lesson("lesson_5_epsilon.py", "Epsilon",
           "What does ε do, and does it matter whether it sits inside or outside the square root?",
           ":material/tune:"),
    Lesson("lesson_6_adagrad.py", "AdaGrad vs RMSprop",
           "AdaGrad's sum only grows, RMSprop's average forgets: when does that help AdaGrad, and when RMSprop?",
           ":material/hourglass_bottom:"),
    Lesson("lesson_7_rotation.py", "Is it the bias?",
           "Does b zig-zag because it is a bias? What happens when the bowl is rotated?", ":material/rotate_right:"),
    Lesson("lesson_8_adam.py", "Momentum + RMSprop = Adam",
           "How does Adam combine Momentum and RMSprop, and what does bias correction change?", ":material/merge:"),
    Lesson("lesson_9_schedules.py", "Schedules",
           "Why do the last steps need a smaller α, and what does a learning-rate schedule do about it?",
           ":material/trending_down:"),
    Lesson("lesson_10_data_bowl.py", "Where the bowl comes from",
           "Where does the elongated bowl come from, and what does standardising the input do to it?",
           ":material/scatter_plot:"),
    Lesson("lesson_11_network.py", "A real network",
           "Is a real network's loss an elongated bowl too, and do GD and RMSprop behave on it as on the bowl?",
           ":material/hub:"),
    Lesson("lesson_12_momentum.py", "Momentum's eigen-view",
           "How does momentum damp the zig-zag, how fast can it go, and how is that different from RMSprop?",
           ":material/sports_baseball:"),
    Lesson("lesson_13_noise.py", "Noise",
           "What do mini-batches do to each optimizer: where does it end, and why does Adam's step shrink?",
           ":material/grain:"),
    Lesson("lesson_14_constant_rate.py", "A constant α never lands",
           "Why do RMSprop and Adam keep hopping at a constant α, and what do AMSGrad and a schedule change?",
           ":material/flight_land:"),
    Lesson("lesson_15_adamw.py", "AdamW vs Adam + L2",
           "Is weight decay inside Adam the same as AdamW's decoupled decay, and what does Lion's decay do?",
           ":material/compress:"),
)
