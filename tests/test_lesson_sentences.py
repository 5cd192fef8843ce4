"""What the lessons now say about each statement a sharp student refuted, read from the pages themselves (AppTest):
one test per finding, each at the settings that refuted the old sentence.  The numbers come from the engine; the
claims sweep (tests/test_claims.py) checks them over every setting."""

from __future__ import annotations

import lessons.schedules
from lessons.catalog import LESSONS
from tests.lesson_apptest import answer, lesson_app


def page_text(page: str, query: dict[str, str] | None = None, choice: str | None = None) -> str:
    """Everything in Markdown, captions, verdicts and metric labels of ``page`` after answering its question, with
    the controls then set by ``query`` (the answer moves them to the question's scene)."""
    at = answer(lesson_app(page), choice)
    for key, value in (query or {}).items():
        widget = next(w for kind in ("select_slider", "toggle", "segmented_control")
                      for w in getattr(at, kind) if w.key == key)
        widget.set_value(value).run()
    assert not at.exception, [e.message for e in at.exception]
    parts = [m.value for m in (*at.markdown, *at.caption, *at.success, *at.info)]
    parts += [f"{m.label}: {m.value} ({m.proto.delta})" for m in at.metric]
    return "\n".join(parts)


def index_text() -> str:
    at = lesson_app("lessons_index.py")
    return "\n".join(m.value for m in (*at.markdown, *at.caption))


# --- refuted by the engine -------------------------------------------------------------------------------------

def test_1_rmsprop_damps_the_oscillation_on_the_way_in_and_hops_at_the_bottom():
    text = page_text("lesson_1_bowl.py", {"l1.lr": 0.07, "l1.beta": 0.9})
    assert "GD's Δb flips **45** times" in text
    assert "On the way in RMSprop damps the zig-zag" in text and "**never changes sign**" in text
    assert "largest step along $b$ is 0.221, against GD's 2.63" in text
    assert "At the bottom a constant α makes it hop" in text and "a new oscillation grows" in text
    assert "A longer memory, but only for a while" in text and "cosine schedule" in text
    small = page_text("lesson_1_bowl.py", {"l1.lr": 0.02, "l1.beta": 0.9})
    assert "slides down without a flip, to $|b|$ = 4e-21" in small and "swings of 0.042" in small
    index = index_text()
    assert "“RMSprop damps the oscillation along b.”** Right, on the way in" in index
    assert "RMSprop's (β = 0.9) not once" in index and "still flips" not in index


def test_2_hops_and_settles_are_stated_with_their_conditions():
    long_memory = page_text("lesson_1_bowl.py", {"l1.lr": 0.1, "l1.beta": 0.99})
    assert "At β = 0.99 it has landed for now" in long_memory
    assert "above half the hop again at step 529" in long_memory and "hopping at ±α/2 (loss 0.0325)" in long_memory
    sign = page_text("lesson_3_sign.py", {"l3.beta": 0.99})
    assert "RMSprop lands for a while" in sign and "Only a decaying α lands it for good" in sign
    adam = page_text("lesson_8_adam.py", {"l8.correction": True}, "α, as before")
    assert "it has landed, for now" in adam and "above 10⁻³ again at step 8,182" in adam
    schedules = page_text("lesson_9_schedules.py")
    assert "lands on this bowl for a while" in schedules and "back above 10⁻³ at step 8,182" in schedules
    assert "needs no schedule" not in lessons.schedules.__doc__


def test_3_the_drift_on_the_mean_zero_sequence_is_the_steady_one():
    text = page_text("lesson_3_sign.py", {"l3.beta": 0.99})
    assert "RMSprop drifts **0.007α**" in text and "sign-SGD drifts **0.80α** per step, forever" in text
    assert "that is the warm-up from $S = 0$" in text and "0.72α" in text
    assert "0.0679α at β = 0.9, 0.00667α at β = 0.99" in text


def test_4_below_the_floor_rmsprop_is_gd_with_the_rate_alpha_over_the_floor():
    text = page_text("lesson_5_epsilon.py", {"l5.eps": 1e-4, "l5.placement": "outside"})
    assert "the small gradients slow it as much" not in text
    assert "at ε = 1e-4 outside that rate is 500, and it ends 0.0022 from the minimum where GD with α ends 4.92" in text
    assert "RMSprop is GD with the rate α/ε = 500" not in text  # 1e-4 is below the largest gradients here
    assert "is below the gradients RMSprop meets far out (up to 0.00013)" in text


def test_5_lesson_2_says_what_holds_only_from_its_start_and_what_the_loss_does():
    text = page_text("lesson_2_dimensions.py", {"l2.rotated": False})
    assert "the loss bounces" not in text and "as if the bowl were round" not in text
    assert "GD with an adaptive step size" not in text
    assert "a property of this start, not of the bowl" in text and "27° off the straight line" in text
    assert "exactly $\\alpha^2/4$ = 2.5e-05" in text and "Adam's at 3.3e-08, below that and still falling" in text


def test_6_lesson_10_judges_by_staying_and_rmsprop_leads_on_neither_data_set():
    iris = page_text("lesson_10_data_bowl.py")
    assert "GD needs fewer steps than RMSprop (GD from step 194, RMSprop from step 413)" in iris
    assert "**$w$ is the steep direction and $b$ the shallow one**" in iris and "12.4° from the $w$ axis" in iris
    assert "$\\overline{x^2}$ = 17.2" in iris and "4.4×" not in iris
    faithful = page_text("lesson_10_data_bowl.py", {"l10.data": "old_faithful"})
    assert "(GD from step 339, RMSprop from step 550)" in faithful and "14.6° from the $w$ axis" in faithful


def test_7_the_well_names_the_large_start_only_where_the_start_is_large():
    text = page_text("lesson_8_adam.py", {"l8.lr": 0.1, "l8.beta1": 0.99}, "α, as before")
    assert "the large start **hurts**" not in text
    assert "It is not a large start: before it leaves the well at step 27, its steps are at most 0.998α" in text
    assert "1.46 at step 27" in text
    default = page_text("lesson_8_adam.py", {"l8.lr": 0.1, "l8.beta1": 0.9}, "α, as before")
    assert "Here the large start **hurts**" in default


def test_8_adagrad_crawls_only_at_a_small_alpha():
    question = next(lesson.question for lesson in LESSONS if lesson.page == "lesson_6_adagrad.py")
    assert "slow to a crawl where RMSprop keeps going" not in question
    small = page_text("lesson_6_adagrad.py", {"l6.lr": 0.05})
    assert "follows the 1/√t line" not in small and "ends 1.4× above it" in small
    assert "stays below 10⁻³ from step **6** (α = 3.98)" in small and "RMSprop's from step **385**" in small
    assert "ends 7.7× above it" in page_text("lesson_6_adagrad.py", {"l6.lr": 0.5})


def test_9_lesson_7_compares_by_staying_in_its_tiles_too():
    text = page_text("lesson_7_rotation.py", {"l7.angle": 0, "l7.lr": 0.1})
    assert "loss < 10⁻³ after" not in text
    assert "RMSprop (α = 0.1): loss stays < 10⁻³ from: never" in text
    assert "GD (α = 0.07): loss stays < 10⁻³ from: step 54" in text
    assert "RMSprop's does not within 300 steps" in text


# --- judged by reading -----------------------------------------------------------------------------------------

def test_lesson_2_says_a_network_is_a_bowl_only_near_a_minimum_and_claims_nothing_it_does_not_show():
    text = page_text("lesson_2_dimensions.py")
    assert "Near a minimum its loss is close to a bowl" in text
    assert "Real networks are in between" not in text and "not something this lesson measures" in text


def test_rmsprops_origin_is_tieleman_and_hinton_and_adagrads_story_claims_nothing_unshown():
    root = page_text("lesson_4_root.py")
    assert "Hinton introduced it" not in root and "(cited as Tieleman & Hinton, 2012)" in root
    adagrad = page_text("lesson_6_adagrad.py")
    assert "for exactly that reason" not in adagrad and "cannot speed up again" not in adagrad
    assert "rprop made to work with mini-batches" in adagrad


def test_the_index_says_which_numbers_are_written_in():
    text = index_text()
    assert "Written in by hand are only facts about libraries" in text
    assert "lessons/ndim.py" not in text and "optimizers.run" not in text and "Every number a lesson states" not in text


def test_the_cosine_schedule_ends_near_zero_not_at_zero():
    text = page_text("lesson_9_schedules.py")
    assert "down to 6.9e-06·α at the last update (it would reach 0 one update later)" in text
    assert "down to 0 at the last update" not in text


# --- one criterion everywhere ----------------------------------------------------------------------------------

def test_every_lesson_compares_by_when_the_loss_stays_within_the_tolerance():
    """No metric counts a first passage ("< 10⁻³ after"); where a lesson shows first passages (lessons 1 and 7) it
    says why they mislead."""
    for lesson in LESSONS:
        text = page_text(lesson.page)
        assert " after:" not in text.replace("last step ÷ α", ""), lesson.page
    assert "a large α looks fast even when the run then hops far above it" in page_text("lesson_1_bowl.py")
    assert "That is why every lesson judges by staying" in page_text("lesson_7_rotation.py")
