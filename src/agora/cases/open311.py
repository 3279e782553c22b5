"""The Open311 face of cases: reports made, searched and read over GeoReport v2."""
