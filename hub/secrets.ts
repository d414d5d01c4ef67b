// The hub's signing secret: HUB_SECRET from the environment, else one generated
// on first run and kept in DATA_DIR/secrets.json (readable by the owner only),
// so join tokens and sessions survive restarts without a default anyone knows.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function loadSecret(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, 'secrets.json');
  if (fs.existsSync(file)) {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { hubSecret?: unknown };
    if (typeof saved.hubSecret === 'string' && saved.hubSecret.length >= 32) return saved.hubSecret;
    throw new Error(
      `${file} is damaged: delete it to generate a new secret (signed-in users will have to sign in again).`,
    );
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const hubSecret = randomBytes(48).toString('base64url');
  fs.writeFileSync(file, `${JSON.stringify({ hubSecret }, null, 2)}\n`, { mode: 0o600 });
  return hubSecret;
}
