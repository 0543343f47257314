"""ISO 8583: the wire codec (``codec``) and the field <-> domain mapping (``mapping``)."""
