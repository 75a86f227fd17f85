#!/usr/bin/env node
// Writes orchestrate.config.schema.json (shipped in the package, referenced by `$schema` in the
// configs `orchestrate init` writes) from the zod schema of the built dist/. Run after changing
// src/config/schema.ts: npm run schema. test/unit/config/json-schema.test.ts fails until then.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONFIG_SCHEMA_FILE, configJsonSchemaText } from '../dist/config/json-schema.js';

const file = fileURLToPath(new URL(`../${CONFIG_SCHEMA_FILE}`, import.meta.url));
writeFileSync(file, configJsonSchemaText());
process.stderr.write(`wrote ${file}\n`);
