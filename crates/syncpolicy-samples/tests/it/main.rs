//! Integration tests of syncpolicy-samples: the out-of-box catalogue (content of every rule,
//! its expressions, what it does to generated directory objects) and the shipped samples.

mod catalogue;
