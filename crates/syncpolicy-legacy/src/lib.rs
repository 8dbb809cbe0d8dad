//! Reader of legacy `Exported-ServerConfiguration-*` folders into the model (being built).
