// Path and query pieces every route file validates the same way.
import { z } from 'zod';

export const id = z.string().min(1).max(64);
export const idParams = z.strictObject({ id });
/** A query flag written `true` or `false`. */
export const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
