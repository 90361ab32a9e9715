#!/usr/bin/env node
// The `twinspace` command (package.json "bin"). The server and CLI are
// TypeScript run through tsx's loader, so there is no separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
