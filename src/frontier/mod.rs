//! The frontier: URL normalisation, discovery on list pages, the queue and its state.
//! PLACEHOLDER.
