// Throws null while the module loads.
throw null;
