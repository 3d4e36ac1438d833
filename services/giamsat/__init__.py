"""giamsat: supervision work of Fatherland Front committees under Regulation 124-QĐ/TW."""
