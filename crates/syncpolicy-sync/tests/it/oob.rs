//! The out-of-box rule set on typical objects (filled once the catalogue lands).
