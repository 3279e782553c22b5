"""The calibration: a share of right answers per score bin, never falling as scores rise."""

from agora.answers import calibration


def test_the_table_is_the_share_right_per_bin_with_one_of_each_added():
    pairs = [(0.1, False)] * 8 + [(0.65, True), (0.65, False)] + [(1.0, True)] * 18 + [
        (1.0, False)]
    table = calibration.isotonic(pairs)
    assert table[0] == (0.0, 0.1)  # 0 right of 8, plus one of each: 1/10
    assert table[-1] == (0.99, round(19 / 21, 3))
    confidences = [confidence for _, confidence in table]
    assert confidences == sorted(confidences)


def test_a_bin_less_sure_than_the_one_below_is_pooled_with_it():
    pairs = [(0.65, True)] * 3 + [(0.75, False)] * 3
    table = dict(calibration.isotonic(pairs))
    assert 0.75 not in table or table[0.7] >= table[0.6]
    assert all(b >= a for a, b in zip(list(table.values()), list(table.values())[1:]))


def test_only_the_surest_bin_clears_the_threshold_and_a_missing_place_sinks_the_score():
    assert calibration.confidence(1.0) >= calibration.THRESHOLD
    assert calibration.confidence(0.8) < calibration.THRESHOLD
    # "bin day in leeds": the bin page holds "bin" but not "leeds", which no page uses.
    raw = calibration.raw_score(coverage=0.3, fact=True, missing_weight=6.0, wants_fact=True)
    assert raw == 0.0 and calibration.confidence(raw) < 0.1
    assert calibration.raw_score(coverage=1.0, fact=False, missing_weight=0.0,
                                 wants_fact=True) == 0.8
