"""File names in the zips of letters and evaluation summaries: one rule for both."""

from reports import filenames


def test_a_name_in_another_script_gives_way_whole_to_the_acronym_never_to_its_latin_part():
    assert filenames.stem("مركز الواحات OASIS", "OOCBS", fallback="applicant-1") == "OOCBS"
    assert filenames.stem("青岚山地生态合作研究院", None, fallback="applicant-2") == "applicant-2"


def test_latin_letters_lose_their_accents_and_keep_their_letter():
    assert filenames.stem("Øresund Ñandú Straße", fallback="x") == "Oresund-Nandu-Strasse"


def test_a_device_name_or_a_path_never_survives_and_repeats_are_numbered():
    assert filenames.stem("CON", "../..", fallback="letter") == "letter"
    assert filenames.unique(["Reef", "reef", "Reef"], ".pdf") == ["Reef.pdf", "reef-2.pdf", "Reef-3.pdf"]
