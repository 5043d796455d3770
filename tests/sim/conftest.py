import pytest
from nnsim import arrays

BACKENDS = ["plain"] + (["numpy"] if arrays.numpy_available() else [])


@pytest.fixture(params=BACKENDS)
def backend(request):
    """Run a test once per array path."""
    return request.param
