//! The bundled sample university news site and its fault-injecting loopback server.
//! PLACEHOLDER.
