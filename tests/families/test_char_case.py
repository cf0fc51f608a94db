"""Case of same-shape letters: both cases first when alone, the case from height in a line."""

from __future__ import annotations

from edge_app.families.char.case import cases_from_height, pair_first, pair_mass, twin


def test_twin_only_for_same_shape_letters():
    assert twin("o") == "O" and twin("S") == "s" and twin("k") == "K"
    assert twin("a") is None and twin("0") is None and twin("B") is None


def test_pair_first_moves_the_other_case_up():
    ranked = [("o", 0.5), ("0", 0.3), ("O", 0.1), ("Q", 0.1)]
    assert pair_first(ranked) == [("o", 0.5), ("O", 0.1), ("0", 0.3)]
    assert pair_mass(pair_first(ranked)) == 0.6


def test_pair_first_can_lead_with_the_other_case():
    ranked = [("s", 0.7), ("5", 0.2), ("S", 0.1)]
    assert pair_first(ranked, "S") == [("S", 0.1), ("s", 0.7), ("5", 0.2)]


def test_pair_first_keeps_order_without_a_twin():
    ranked = [("a", 0.6), ("d", 0.3), ("q", 0.1)]
    assert pair_first(ranked) == ranked
    assert pair_mass(ranked) == 0.6
    disallowed = [("o", 0.9), ("0", 0.1), ("O", 0.0)]  # 'O' not allowed
    assert pair_first(disallowed) == disallowed


def _row(spec: list[tuple[str, int, int]]) -> tuple[list[tuple[int, int, int, int]], list[str]]:
    """Boxes for (char, height, drop below the baseline at y=100), left to right."""
    boxes = [(30 * i, 100 + drop - h, 20, h) for i, (_, h, drop) in enumerate(spec)]
    return boxes, [c for c, _, _ in spec]


def test_big_s_then_small_s_glyphs():
    boxes, chars = _row([("S", 60, 0), ("S", 34, 0), ("S", 35, 0)])
    assert cases_from_height(boxes, chars) == [True, False, False]


def test_case_from_tall_and_short_letters():
    boxes, chars = _row([("H", 60, 0), ("n", 35, 0), ("O", 34, 0), ("o", 58, 0), ("a", 33, 0), ("X", 36, 0)])
    assert cases_from_height(boxes, chars) == [None, None, False, True, None, False]


def test_p_is_judged_by_its_rise_above_the_baseline():
    # a small p hangs below the baseline: its box is as tall as a capital, but its top is at the x-height
    boxes, chars = _row([("T", 60, 0), ("e", 34, 0), ("P", 55, 21), ("P", 60, 0)])
    assert cases_from_height(boxes, chars) == [None, None, False, True]


def test_no_case_without_an_x_height():
    same = _row([("H", 60, 0), ("n", 57, 0), ("o", 58, 0), ("S", 59, 0)])
    assert cases_from_height(*same) == [None] * 4
    only_caps = _row([("H", 60, 0), ("o", 34, 0)])  # no short letter to show where the x-height is
    assert cases_from_height(*only_caps) == [None, None]
    lone = _row([("o", 34, 0)])
    assert cases_from_height(*lone) == [None]


def test_mixed_references_abstain():
    # a short letter as tall as the capitals: the line does not separate the two heights
    boxes, chars = _row([("H", 60, 0), ("n", 34, 0), ("m", 62, 0), ("o", 34, 0)])
    assert cases_from_height(boxes, chars) == [None] * 4


def test_k_and_letters_near_the_split_are_left_alone():
    boxes, chars = _row([("H", 60, 0), ("n", 34, 0), ("k", 60, 0), ("K", 58, 0), ("o", 46, 0), ("o", 34, 0)])
    assert cases_from_height(boxes, chars) == [None, None, None, None, None, False]
