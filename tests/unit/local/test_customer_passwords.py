import argparse
import re

from local.customers import new_password


def test_a_new_password_meets_cognitos_default_policy_and_can_be_pasted_after_an_option() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--password")
    for _ in range(2000):
        password = new_password()
        assert len(password) >= 8
        for character_class in ("[a-z]", "[A-Z]", "[0-9]", "[^A-Za-z0-9]"):
            assert re.search(character_class, password), character_class
        assert parser.parse_args(["--password", password]).password == password
