"""World helpers that take shortcuts when few are listed must equal the direct computation."""

import numpy as np
import pytest

from trustcascade.model.model import TrustCascade


@pytest.mark.parametrize("listed_share", [0.01, 0.3])  # the gathering path and the matrix-product path
@pytest.mark.parametrize("layers", ["friends", "friends+family"])
def test_listed_share_of_contacts_equals_the_dense_definition(listed_share, layers):
    model = TrustCascade(rng=2, n_citizens=4000, agents=False, association_layers=layers,
                         avoidance_probability=0.5, tie_formation_rate=0.05)
    model.run(10)  # cut ties and free slots (weight 0) are in the layers
    world = model.world
    listed = np.random.default_rng(1).random(world.citizens.n) < listed_share
    count = sum(getattr(world.ties, name).toarray().astype(float) @ listed for name in layers.split("+"))
    degree = sum(getattr(world.ties, name).toarray().sum(axis=1).astype(float) for name in layers.split("+"))
    expected = np.divide(count, degree, out=np.zeros_like(count), where=degree > 0)
    assert np.array_equal(world.listed_share_of_contacts(listed), expected)
