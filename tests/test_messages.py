from smiley_checks.messages import LANGUAGES, catalogue, placeholders, say, set_language


def test_every_message_has_every_language_with_the_same_placeholders():
    for key, texts in catalogue().items():
        assert set(texts) == set(LANGUAGES), key
        assert placeholders(texts["en"]) == placeholders(texts["nl"]), key


def test_language_setting_switches_the_text():
    try:
        set_language("nl")
        assert say("data.missing_folder", path="x").startswith("De map")
    finally:
        set_language("en")
    assert say("data.missing_folder", path="x").startswith("The smiley folder")
