//! A faithful local Cosync JWT host, as a library and a binary.
