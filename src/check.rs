//! Fixture regression check: re-extract a saved page and compare the record with its
//! expectation, field by field. PLACEHOLDER.
