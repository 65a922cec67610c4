#!/usr/bin/env node
// The package's command. Node 24 runs our TypeScript sources directly (type stripping, see
// docs/adr/0002-run-typescript-with-node-type-stripping.md), so there is no build step.
import '../src/cli/main.ts';
