"""Multi-frame voting: one stable reading per plate from noisy per-frame readings."""

from __future__ import annotations

import pytest

from edge_app.results import Item, Result
from edge_app.voting import PlateVoter, Reading, vote


def frame(*plates: tuple[str, list[int], float]) -> Result:
    items = [Item(t, c, box, char_confidences=[c] * len(t)) for t, box, c in plates]
    return Result("frame", items=items)


def test_vote_fixes_single_character_misreads():
    reads = [Reading("ABC123", [0.9] * 6, [0, 0, 10, 5]), Reading("A8C123", [0.6] * 6, [0, 0, 10, 5]),
             Reading("ABC123", [0.8] * 6, [0, 0, 10, 5]), Reading("ABC128", [0.5] * 6, [0, 0, 10, 5])]
    text, conf = vote(reads)
    assert text == "ABC123"
    assert 0.5 < conf < 1.0


def test_vote_prefers_the_best_supported_length():
    reads = [Reading("ABC123", [0.9] * 6, []), Reading("ABC1234", [0.4] * 7, []), Reading("ABC123", [0.9] * 6, [])]
    assert vote(reads)[0] == "ABC123"
    assert vote([]) == ("", 0.0)


def test_voter_waits_for_min_frames_then_reports_one_stable_reading():
    voter = PlateVoter(min_frames=3)
    box = [100, 100, 120, 60]
    assert voter.update(frame(("XYZ789", box, 0.9))) == []
    assert voter.update(frame(("XY2789", [102, 101, 120, 60], 0.5))) == []
    stable = voter.update(frame(("XYZ789", [104, 102, 120, 60], 0.9)))
    assert [s.text for s in stable] == ["XYZ789"] and stable[0].frames == 3


def test_voter_keeps_two_plates_apart_and_forgets_gone_ones():
    voter = PlateVoter(min_frames=2, max_missed=1)
    a, b = [0, 0, 100, 50], [500, 300, 100, 50]
    voter.update(frame(("AAA111", a, 0.9), ("BBB222", b, 0.9)))
    stable = voter.update(frame(("AAA111", a, 0.9), ("BBB222", b, 0.9)))
    assert sorted(s.text for s in stable) == ["AAA111", "BBB222"]
    voter.update(frame())
    voter.update(frame())
    assert voter.tracks == []


def test_unreadable_items_do_not_vote():
    voter = PlateVoter(min_frames=1)
    result = Result("f", items=[Item("", 0.0, [0, 0, 30, 10], unreadable=True)])
    assert voter.update(result) == []


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        PlateVoter(min_frames=5, window=3)
