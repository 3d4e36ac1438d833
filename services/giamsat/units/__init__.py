"""The unit tree (province, district, commune, residential area), its levels and organizations."""
