"""behave's uniforms are numpy's own: float32 draws made from raw PCG64 outputs are the ones
``rng.random`` would give, and leave the generator where it would."""

import numpy as np
import pytest

from trustcascade.model.sampling import uniform_floats


@pytest.mark.parametrize("sizes", [(10, 6, 371_664), (7, 4, 1000), (1, 1, 2), (0, 12, 5)])
@pytest.mark.parametrize("bit_generator", [np.random.PCG64, np.random.Philox, np.random.MT19937])
def test_uniform_floats_are_numpys_draws_and_leave_the_generator_where_numpy_would(sizes, bit_generator):
    """Odd sizes leave half of a 64-bit output pending, which the next draw must use first
    (numpy's path); an even size after that takes the raw path again."""
    ours, numpys = np.random.Generator(bit_generator(11)), np.random.Generator(bit_generator(11))
    for size in sizes:
        drawn = uniform_floats(ours, np.zeros(size, np.float32))
        assert drawn.dtype == np.float32
        assert np.array_equal(drawn, numpys.random(size, dtype=np.float32))
    # the same draws of every kind follow (numpy keeps a used half in ``uinteger`` after
    # ``has_uint32`` drops to 0; the raw path leaves it as it was, which nothing reads)
    assert np.array_equal(ours.random(3, dtype=np.float32), numpys.random(3, dtype=np.float32))
    assert ours.random() == numpys.random() and ours.integers(1 << 40) == numpys.integers(1 << 40)
    assert np.array_equal(ours.random(2, dtype=np.float32), numpys.random(2, dtype=np.float32))


def test_uniform_floats_fill_the_buffer_given():
    buffer = np.zeros(8, np.float32)
    assert uniform_floats(np.random.default_rng(1), buffer) is buffer
    assert (buffer > 0).all() and (buffer < 1).all()
