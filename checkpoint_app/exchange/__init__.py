"""The exchange between the PCs of a site and the hub (DESIGN §8, issue 15)."""
