#!/usr/bin/env python3
"""Reference values for the Swift FSRS-6 scheduler (Tests/ProgressTests/FSRS*Tests.swift).

Prints, from py-fsrs (the reference implementation of FSRS-6), the card state after every review
of a few fixed scenarios, retrievability values and fuzz bounds. The numbers are pasted into the
Swift tests as reviewed goldens; CI never runs this script.

    python3 -m venv /tmp/fsrsenv && /tmp/fsrsenv/bin/pip install fsrs
    /tmp/fsrsenv/bin/python scripts/fsrs_reference.py

Every row is (state, step, stability, difficulty, seconds from the review to the due date).
Scenario times are offsets in seconds from the scenario's start; the Swift tests use the same ones.
"""

from datetime import datetime, timedelta, timezone
from importlib.metadata import version

import fsrs.scheduler as fsrs_scheduler
from fsrs import Card, Rating, Scheduler, State

STATE = {State.Learning: ".learning", State.Review: ".review", State.Relearning: ".relearning"}
RATING = {1: Rating.Again, 2: Rating.Hard, 3: Rating.Good, 4: Rating.Easy}
DAY = 86400


def row(card: Card) -> str:
    step = "nil" if card.step is None else str(card.step)
    seconds = (card.due - card.last_review).total_seconds()
    return (f"({STATE[card.state]}, {step}, {card.stability:.6f}, {card.difficulty:.6f}, "
            f"{seconds:.0f}),")


def at_due_times(scheduler: Scheduler, ratings: list[int], start: datetime) -> None:
    """Reviews a new card, each review at the previous due time."""
    card = Card(card_id=1, due=start)
    when = start
    for r in ratings:
        card, _ = scheduler.review_card(card, RATING[r], when)
        print("   ", row(card), f"// {(card.due - card.last_review).days} days")
        when = card.due


def at_offsets(scheduler: Scheduler, events: list[tuple[int, int]], start: datetime) -> Card:
    """Reviews a new card at start + offset seconds with the given ratings."""
    card = Card(card_id=1, due=start)
    for offset, r in events:
        card, _ = scheduler.review_card(card, RATING[r], start + timedelta(seconds=offset))
        print("   ", row(card))
    return card


def main() -> None:
    print(f"# py-fsrs {version('fsrs')}")
    vector_start = datetime(2022, 11, 29, 12, 30, tzinfo=timezone.utc)
    vector = [3] * 6 + [1] * 2 + [3] * 5

    print("\n# published test vector: Good x6, Again x2, Good x5, fuzz off")
    at_due_times(Scheduler(enable_fuzzing=False), vector, vector_start)

    print("\n# same ratings, desired retention 0.8")
    at_due_times(Scheduler(enable_fuzzing=False, desired_retention=0.8), vector, vector_start)

    print("\n# same ratings, maximum interval 30 days")
    at_due_times(Scheduler(enable_fuzzing=False, maximum_interval=30), vector, vector_start)

    print("\n# a new card rated Again / Hard / Good / Easy once")
    for r in (1, 2, 3, 4):
        at_offsets(Scheduler(enable_fuzzing=False), [(0, r)], vector_start)

    mixed_start = datetime(2024, 3, 1, 8, 0, tzinfo=timezone.utc)
    mixed = [
        (0, 2), (330, 1), (400, 3), (1000, 2), (1700, 3),          # learning steps
        (12500, 3),                                                 # early review, same day
        (1740500, 2),                                               # review after 20 days
        (5628500, 1), (5629400, 2), (5630100, 1), (5630700, 3),     # lapse and relearning
        (5817900, 4), (40377900, 3),                                # easy, then 400 days late
        (40377901, 1), (40550701, 3),                               # lapse, relearn 2 days late
    ]
    print("\n# mixed scenario, default scheduler, start 2024-03-01 08:00 UTC")
    print("   ", mixed)
    at_offsets(Scheduler(enable_fuzzing=False), mixed, mixed_start)

    one_step = [(0, 2), (900, 2), (1800, 1), (2400, 3), (2400 + 3 * DAY, 1), (2400 + 3 * DAY + 900, 2)]
    print("\n# one learning step (10 min), one relearning step (10 min)")
    print("   ", one_step)
    at_offsets(Scheduler(enable_fuzzing=False, learning_steps=(timedelta(minutes=10),)),
               one_step, mixed_start)

    no_steps = [(0, 1), (DAY, 1), (3 * DAY, 3), (3 * DAY + 60, 2)]
    print("\n# no learning steps, no relearning steps")
    print("   ", no_steps)
    at_offsets(Scheduler(enable_fuzzing=False, learning_steps=(), relearning_steps=()),
               no_steps, mixed_start)

    print("\n# retrievability after the test vector, at last review + seconds")
    scheduler = Scheduler(enable_fuzzing=False)
    card = Card(card_id=1, due=vector_start)
    when = vector_start
    for r in vector:
        card, _ = scheduler.review_card(card, RATING[r], when)
        when = card.due
    for seconds in (0, 3600, DAY, int(1.9 * DAY), 5 * DAY, 30 * DAY, 365 * DAY):
        r = scheduler.get_card_retrievability(card, card.last_review + timedelta(seconds=seconds))
        print(f"    ({seconds}, {r:.8f}),")

    print("\n# maximum interval clamp: review card, S=30000, D=3, last review 20000 days ago, Easy")
    big = Card(card_id=1, state=State.Review, stability=30000.0, difficulty=3.0,
               due=mixed_start, last_review=mixed_start - timedelta(days=20000))
    big, _ = scheduler.review_card(big, Rating.Easy, mixed_start)
    print("   ", row(big), f"// {(big.due - big.last_review).days} days")

    print("\n# fuzzed interval (days) for a fixed random() value u: (days, u, fuzzed days)")
    for maximum in (36500, 100):
        fuzzer = Scheduler(maximum_interval=maximum)
        print(f"    // maximum interval {maximum}")
        for days in (1, 2, 3, 5, 7, 10, 20, 21, 50, 100, 1000, 36500):
            for u in (0.0, 0.25, 0.5, 0.75, 0.999999):
                fsrs_scheduler.random = lambda u=u: u
                fuzzed = fuzzer._get_fuzzed_interval(interval=timedelta(days=days)).days
                print(f"    ({days}, {u}, {fuzzed}),")


if __name__ == "__main__":
    main()
