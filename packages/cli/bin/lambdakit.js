#!/usr/bin/env node
// The `lambdakit` command. This file is committed (not built) so that npm can link it into
// node_modules/.bin when the package is installed, before `dist/` has been built in a workspace.
import '../dist/bin.js';
