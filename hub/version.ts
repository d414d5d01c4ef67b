// The release this code is (package.json's version), shown on the health page
// and written into every backup's manifest.
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../scheduler/db.ts';

export const VERSION: string = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
