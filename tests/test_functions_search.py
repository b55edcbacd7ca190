"""Searching a row or column: the hash index, its reuse per list, and Excel's binary search, worked by hand."""

from __future__ import annotations

from jbjr_budget.formula_engine.functions.search import Line, line


def test_exact_lookups_find_first_or_last_equal_item() -> None:
    found = Line(["b", "A", 1.0, True, 0.30000000000000004, "a", None, 0.0])
    for _ in range(2):  # the first search scans, the second builds and uses the index
        assert found.exact("a") == 1
        assert found.exact("A", last=True) == 5
        assert found.exact(0.1 + 0.2 - 1e-17) == 4  # equal within 2^-48, as Excel compares
        assert found.exact(True) == 3  # a logical is not the number 1
        assert found.exact(1.0) == 2
        assert found.exact(None) == 7  # a blank lookup value looks for 0; blank items never match
        assert found.exact("zz") is None
        assert found.exact("?") == 0  # wildcards: the first one-character text
        assert found.exact("~?") is None


def test_nearest_gives_the_next_smaller_or_larger_of_the_same_kind() -> None:
    found = Line([30.0, 10.0, "x", 20.0, 20.0])
    assert found.nearest(25.0, -1) == 3
    assert found.nearest(25.0, -1, last=True) == 4
    assert found.nearest(25.0, 1) == 0
    assert found.nearest(5.0, -1) is None
    assert found.nearest(35.0, 1) is None
    assert found.nearest("a", 1) == 2


def test_binary_search_follows_excel_on_unsorted_and_mixed_data() -> None:
    # 5,1,9,3,7,2,8 for 4: bounds (-1, 7); mid 3 holds 3 <= 4 so low 3; mid 5 holds 2 so low 5;
    # mid 6 holds 8 > 4 so high 6; the bounds meet: position 5 (MATCH answers 6).
    assert Line([5.0, 1.0, 9.0, 3.0, 7.0, 2.0, 8.0]).binary(4.0) == 5
    # A text in the middle is stepped over toward the high bound: "Code",10,20,30,"n.v.t.",40 for 25 ends on 20.
    assert Line(["Code", 10.0, 20.0, 30.0, "n.v.t.", 40.0]).binary(25.0) == 2
    assert Line([10.0, 20.0, 20.0, 20.0, 30.0]).binary(20.0) == 3  # the end of a run of equal items
    assert Line([10.0, 20.0]).binary(5.0) is None
    assert Line([60.0, 50.0, 40.0, 30.0]).binary(45.0, descending=True) == 1


def test_a_line_is_reused_for_the_same_list_only() -> None:
    table = [[1.0, "a"], [2.0, "b"]]
    assert line(table, row=False, index=0) is line(table, row=False, index=0)
    assert line(table, row=False, index=0).items == [1.0, 2.0]
    assert line(table, row=True, index=1).items == [2.0, "b"]
    same_content = [[1.0, "a"], [2.0, "b"]]
    assert line(same_content, row=False, index=0) is not line(table, row=False, index=0)
