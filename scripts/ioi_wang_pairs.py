#!/usr/bin/env python3
"""The IOI prompt pairs shipped for GPT-2: Sources/Transformer/Models/ioi-wang2022.jsonl.

Built from the first template of Wang et al. (2022), "Interpretability in the Wild" (the BABA form
"Then, [B] and [A] went to the [PLACE]. [B] gave a [OBJECT] to [A]" and its ABBA twin, with the final
name removed), their lists of names, places and objects, and their ABC corruption (every name
replaced by a different one, so the corrupted prompt carries no information about the answer).
One template keeps the prompts to one token length for GPT-2 as far as the names, places and objects
are one token each; `interp patch --pairs` keeps the pairs of the most common length and says so.
Each line: clean, corrupted, answer (" IO"), wrong (" S"), and the template and order for reference.

    python3 scripts/ioi_wang_pairs.py [--n 8] [--seed 0]

Standard library only; CI never runs it: the file is committed.
"""
import argparse
import json
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Sources", "Transformer", "Models", "ioi-wang2022.jsonl")

BABA = "Then, [B] and [A] went to the [PLACE]. [B] gave a [OBJECT] to"
ABBA = "Then, [A] and [B] went to the [PLACE]. [B] gave a [OBJECT] to"
# The first 40 of Wang et al.'s names, and their places and objects.
NAMES = ["Michael", "Christopher", "Jessica", "Matthew", "Ashley", "Jennifer", "Joshua", "Amanda", "Daniel", "David",
         "James", "Robert", "John", "Joseph", "Andrew", "Ryan", "Brandon", "Jason", "Justin", "Sarah", "William",
         "Jonathan", "Stephanie", "Brian", "Nicole", "Nicholas", "Anthony", "Heather", "Eric", "Elizabeth", "Adam",
         "Megan", "Melissa", "Kevin", "Steven", "Thomas", "Timothy", "Christina", "Kyle", "Rachel"]
PLACES = ["store", "garden", "restaurant", "school", "hospital", "office", "house", "station"]
OBJECTS = ["ring", "kiss", "bone", "basketball", "computer", "necklace", "drink", "snack"]


def fill(template, a, b, place, obj):
    return template.replace("[A]", a).replace("[B]", b).replace("[PLACE]", place).replace("[OBJECT]", obj)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    lines = []
    for i in range(args.n):
        template, order = (ABBA, "ABBA") if i % 2 == 0 else (BABA, "BABA")
        io, s, x, y = rng.sample(NAMES, 4)
        z = rng.choice([n for n in NAMES if n not in (io, s, x, y)])
        place, obj = rng.choice(PLACES), rng.choice(OBJECTS)
        clean = fill(template, io, s, place, obj)
        # ABC: A, B and the repeated name all replaced by three names that appear nowhere in the clean prompt.
        corrupted = fill(template, x, y, place, obj).replace(f". {y} gave", f". {z} gave")
        lines.append({"clean": clean, "corrupted": corrupted, "answer": " " + io, "wrong": " " + s,
                      "template": template, "order": order})
    with open(OUT, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, sort_keys=True) + "\n")
    print(f"wrote {len(lines)} pairs to {OUT}")


if __name__ == "__main__":
    main()
