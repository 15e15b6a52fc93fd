import pytest

from governance.demo import load_demo_data


@pytest.fixture
def demo(db):
    return load_demo_data()
