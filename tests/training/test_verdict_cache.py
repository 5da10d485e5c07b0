"""The signed verdict cache: what a student's kernel could plant there is never believed."""

import json
import os

import pytest

from smiley_checks.training.verdict_cache import SeedResult, VerdictCache, new_secret

MATERIAL = b'{"model": "the same network", "seed": 0}'
RESULT = SeedResult(accuracy=0.955, seconds=3.2, epochs=4)


@pytest.fixture
def cache(tmp_path):
    return VerdictCache(tmp_path, new_secret())


def test_a_stored_result_comes_back(cache):
    assert cache.get(MATERIAL) is None
    cache.put(MATERIAL, RESULT)
    assert cache.get(MATERIAL) == RESULT
    assert cache.obtain(MATERIAL) == RESULT and cache.hits == 1


def test_file_names_do_not_reveal_the_network(cache):
    cache.put(MATERIAL, RESULT)
    names = [p.name for p in cache.folder.iterdir()]
    assert names == [f"{cache.name(MATERIAL)}.json"]
    assert VerdictCache(cache.folder, new_secret()).name(MATERIAL) != cache.name(MATERIAL)
    assert cache.handover()["secret"] not in repr(cache)


def test_a_planted_entry_is_rejected(cache):
    path = cache.folder / f"{cache.name(MATERIAL)}.json"
    # A student who somehow knew the file name still cannot sign a result.
    path.write_text(json.dumps({"result": {"accuracy": 0.5, "seconds": 1.0, "epochs": 1}, "mac": "0" * 64}))
    assert cache.get(MATERIAL) is None and cache.rejected == 1


def test_an_entry_signed_with_another_secret_is_rejected(cache):
    other = VerdictCache(cache.folder, new_secret())  # e.g. an earlier grading run
    other.put(MATERIAL, RESULT)
    os.replace(other.folder / f"{other.name(MATERIAL)}.json", cache.folder / f"{cache.name(MATERIAL)}.json")
    assert cache.get(MATERIAL) is None


def test_an_entry_moved_to_another_network_is_rejected(cache):
    cache.put(b"a network that breaks", SeedResult(0.5, 1.0, 3))
    os.replace(cache.folder / f"{cache.name(b'a network that breaks')}.json",
               cache.folder / f"{cache.name(MATERIAL)}.json")
    assert cache.get(MATERIAL) is None and cache.rejected == 1


def test_an_edited_result_is_rejected(cache):
    cache.put(MATERIAL, RESULT)
    path = cache.folder / f"{cache.name(MATERIAL)}.json"
    entry = json.loads(path.read_text())
    entry["result"]["accuracy"] = 0.5
    path.write_text(json.dumps(entry))
    assert cache.get(MATERIAL) is None


def test_links_and_fifos_are_not_followed(cache, tmp_path):
    target = tmp_path / "elsewhere.json"
    cache.put(MATERIAL, RESULT)
    os.replace(cache.folder / f"{cache.name(MATERIAL)}.json", target)
    (cache.folder / f"{cache.name(MATERIAL)}.json").symlink_to(target)
    assert cache.get(MATERIAL) is None
    os.mkfifo(cache.folder / f"{cache.name(b'x')}.json")  # reading a FIFO would hang the judge
    assert cache.get(b"x") is None


def test_a_seed_being_trained_elsewhere_is_waited_for(cache):
    assert cache.obtain(MATERIAL) is None  # this judge trains it: it holds the claim
    ticks = iter(range(1000))

    def meanwhile(_seconds):  # the first judge finishes while the second waits
        cache.put(MATERIAL, RESULT)
        cache.release(MATERIAL)

    second = VerdictCache(cache.folder, cache._secret)
    assert second.obtain(MATERIAL, clock=lambda: next(ticks), sleep=meanwhile) == RESULT


def test_a_claim_that_never_ends_costs_time_not_a_result(cache):
    (cache.folder / f"{cache.name(MATERIAL)}.pending").write_text("")  # a claim nobody finishes
    clock = iter(range(0, 10_000, 30))
    waiting = VerdictCache(cache.folder, cache._secret, wait_seconds=100)
    assert waiting.obtain(MATERIAL, clock=lambda: next(clock), sleep=lambda s: None) is None


def test_a_handed_over_cache_reads_the_same_entries(cache):
    cache.put(MATERIAL, RESULT)
    assert VerdictCache.from_handover(json.loads(json.dumps(cache.handover()))).get(MATERIAL) == RESULT
    assert VerdictCache.from_handover({"folder": "x"}) is None


# --- the doctor's picture of a seed: kept beside its result, signed the same way ---

PICTURE = "iVBORw0KGgo" + "A" * 2000  # a base64 PNG's start


def test_a_stored_picture_comes_back_in_the_same_language_only(cache):
    from smiley_checks.messages import set_language

    assert cache.get_picture(MATERIAL) is None
    cache.put_picture(MATERIAL, PICTURE)
    assert cache.get_picture(MATERIAL) == PICTURE and cache.get_picture(b"another network") is None
    set_language("nl")
    try:
        assert cache.get_picture(MATERIAL) is None  # its words are English: drawn again in Dutch
    finally:
        set_language("en")
    assert cache.rejected == 0


def test_a_planted_edited_or_moved_picture_is_rejected(cache):
    cache.put_picture(b"another network", PICTURE)
    [path] = list(cache.folder.iterdir())
    cache.put_picture(MATERIAL, PICTURE)
    mine = next(p for p in cache.folder.iterdir() if p != path)
    os.replace(path, mine)  # another network's picture under this one's name
    assert cache.get_picture(MATERIAL) is None and cache.rejected == 1
    entry = {"picture": "iVBORw0KGgoplanted", "mac": "0" * 64}
    mine.write_text(json.dumps(entry))
    assert cache.get_picture(MATERIAL) is None and cache.rejected == 2
    mine.write_text("not json")
    assert cache.get_picture(MATERIAL) is None and cache.rejected == 3
