#!/usr/bin/env node
// Thin shell: run the CLI and turn its result into the process exit code.
import { runFromProcess } from '../dist/cli/main.js';

process.exitCode = await runFromProcess();
