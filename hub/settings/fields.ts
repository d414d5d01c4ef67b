// Field types shared by the settings modules.
import { z } from 'zod';

/** "true/false", "1/0", "yes/no", "on/off". */
export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

export const port = z.coerce.number().int().min(0).max(65535);
