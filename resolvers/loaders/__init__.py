"""Per-request dataloaders, grouped by vendor (``<Thing>By<Key>Loader``)."""
